package io.slipway.build.hook;

import io.slipway.kit.problem.Problem;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a push delivery says: the ref that moved, the commit it moved to, and who pushed. GitHub,
 * GitLab, Gitea and the generic form all carry {@code ref} and {@code after}; the pusher is {@code
 * pusher.name} (GitHub), {@code pusher.login} (Gitea) or {@code user_username} (GitLab) when given.
 */
record PushEvent(String ref, String after, String pusher) {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern ZERO = Pattern.compile("0+");

  /** Reads a push body; 400 when it is not JSON with a {@code refs/...} ref and a commit id. */
  static PushEvent parse(byte[] body) {
    JsonNode root = object(body, "with ref and after");
    String ref = text(root.get("ref"));
    String after = text(root.get("after"));
    if (ref == null
        || !ref.startsWith("refs/")
        || ref.length() > 250
        || !printable(ref)
        || ref.contains(" ")) {
      throw Problem.malformed("ref must be a full ref name such as refs/heads/main");
    }
    if (after == null || !COMMIT.matcher(after).matches()) {
      throw Problem.malformed("after must be a full commit id (40 or 64 lower-case hex digits)");
    }
    String pusher = text(root.path("pusher").get("name"));
    if (pusher == null) {
      pusher = text(root.path("pusher").get("login"));
    }
    if (pusher == null) {
      pusher = text(root.get("user_username"));
    }
    if (pusher != null && (pusher.length() > 200 || !printable(pusher))) {
      throw Problem.malformed("the pusher's name must be one line of at most 200 characters");
    }
    return new PushEvent(ref, after, pusher);
  }

  /** The body as a JSON object; 400 when it is not one ({@code shape} says what it must hold). */
  static JsonNode object(byte[] body, String shape) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw Problem.malformed("The body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw Problem.malformed("The body must be a JSON object " + shape);
    }
    return root;
  }

  /** No control characters: git forbids them in ref names, and logs need one line. */
  private static boolean printable(String text) {
    return text.codePoints().noneMatch(Character::isISOControl);
  }

  /** Whether the push deleted the ref (its new id is all zeros). */
  boolean deleted() {
    return ZERO.matcher(after).matches();
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
  }
}
