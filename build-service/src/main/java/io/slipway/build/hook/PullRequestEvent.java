package io.slipway.build.hook;

import io.slipway.kit.problem.Problem;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What a pull (or merge) request delivery says, read the same way from GitHub's and Gitea's {@code
 * pull_request} and GitLab's {@code Merge Request Hook}: what to do with its preview, its number,
 * the head commit and branch, whether its head is a fork and who sent it. Only the number, the head
 * commit and the fork test are acted on; nothing in the body says where to fetch from (the app's
 * own {@code sourceRef} is fetched).
 *
 * @param change what the preview gets
 * @param reason why nothing is done ({@link Change#NONE}), else null
 * @param number the pull request's number (GitLab's {@code iid}), 1 to {@value #MAX_NUMBER}
 * @param head the head commit; null for a close
 * @param branch the head branch, for the preview's record; null when not sent
 * @param fork whether the head is another repository's than the base's
 * @param sender the login that caused the delivery, when sent and one line without parentheses
 */
record PullRequestEvent(
    Change change,
    String reason,
    int number,
    String head,
    String branch,
    boolean fork,
    String sender) {

  /** What a delivery does to the pull request's preview. */
  enum Change {
    /** Build the head commit as the preview (made when absent). */
    BUILD,
    /** Delete the preview (closed or merged). */
    DELETE,
    /** Nothing: an action that changes no code (edited, labeled, an update without commits). */
    NONE
  }

  /** Nine digits: {@code pr-<N>} stays a short DNS label whatever the forge numbers up to. */
  static final int MAX_NUMBER = 999_999_999;

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern SENDER = Pattern.compile("[^\\p{Cntrl}()]{1,100}");

  /** The preview's name: {@code pr-<number>}. */
  String preview() {
    return "pr-" + number;
  }

  /**
   * Reads a pull request delivery of {@code provider}; 400 when it is not JSON or lacks what its
   * action needs (a number, a head commit to build).
   */
  static PullRequestEvent parse(WebhookProvider provider, byte[] body) {
    JsonNode root = PushEvent.object(body, "describing a pull request");
    return provider == WebhookProvider.GITLAB ? gitlab(root) : github(root);
  }

  /**
   * GitHub and Gitea: {@code action}, {@code pull_request.{number, head, base}}, {@code sender}.
   */
  private static PullRequestEvent github(JsonNode root) {
    String action = text(root.get("action"));
    JsonNode pull = root.path("pull_request");
    int number = number(pull.has("number") ? pull.get("number") : root.get("number"));
    Change change =
        switch (Objects.requireNonNullElse(action, "")) {
          case "opened", "reopened", "synchronize", "synchronized" -> Change.BUILD;
          case "closed" -> Change.DELETE;
          default -> Change.NONE;
        };
    JsonNode headRepo = pull.path("head").path("repo");
    JsonNode baseRepo = pull.path("base").path("repo");
    // the head repository's own "fork" flag is not asked: it is true for every pull request of a
    // repository that is itself a fork, where the head is the same repository as the base
    boolean fork =
        headRepo.isMissingNode()
            || headRepo.isNull()
            || !Objects.equals(text(headRepo.get("full_name")), text(baseRepo.get("full_name")))
            || !Objects.equals(headRepo.path("id").asString(""), baseRepo.path("id").asString(""));
    return event(
        change,
        "the pull_request action " + action + " changes no code: nothing to build",
        number,
        text(pull.path("head").get("sha")),
        text(pull.path("head").get("ref")),
        fork,
        text(root.path("sender").get("login")));
  }

  /**
   * GitLab: {@code object_attributes.{iid, action, oldrev, last_commit.id, source_branch,
   * source_project_id, target_project_id}}, {@code user.username}.
   */
  private static PullRequestEvent gitlab(JsonNode root) {
    JsonNode attributes = root.path("object_attributes");
    String action = text(attributes.get("action"));
    int number = number(attributes.get("iid"));
    Change change =
        switch (Objects.requireNonNullElse(action, "")) {
          case "open", "reopen" -> Change.BUILD;
          // an update without oldrev changed the title, labels or the like, not the commits
          case "update" -> attributes.hasNonNull("oldrev") ? Change.BUILD : Change.NONE;
          case "close", "merge" -> Change.DELETE;
          default -> Change.NONE;
        };
    boolean fork =
        !attributes.hasNonNull("source_project_id")
            || !attributes
                .get("source_project_id")
                .asString("")
                .equals(attributes.path("target_project_id").asString(""));
    return event(
        change,
        "the merge request action "
            + action
            + (Objects.equals(action, "update") ? " without new commits" : "")
            + " changes no code: nothing to build",
        number,
        text(attributes.path("last_commit").get("id")),
        text(attributes.get("source_branch")),
        fork,
        text(root.path("user").get("username")));
  }

  private static PullRequestEvent event(
      Change change,
      String noneReason,
      int number,
      String head,
      String branch,
      boolean fork,
      String sender) {
    if (change == Change.BUILD && (head == null || !COMMIT.matcher(head).matches())) {
      throw Problem.malformed(
          "The pull request's head commit must be a full commit id (40 or 64 lower-case hex"
              + " digits)");
    }
    String shownBranch =
        branch == null
                || branch.length() > 255
                || branch.codePoints().anyMatch(Character::isISOControl)
            ? null
            : branch;
    String shownSender = sender != null && SENDER.matcher(sender).matches() ? sender : null;
    return new PullRequestEvent(
        change,
        change == Change.NONE ? noneReason : null,
        number,
        change == Change.BUILD ? head : null,
        shownBranch,
        fork,
        shownSender);
  }

  private static int number(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw Problem.malformed("The pull request's number must be a whole number");
    }
    long number = node.asLong();
    if (number < 1 || number > MAX_NUMBER) {
      throw Problem.malformed("The pull request's number must be from 1 to " + MAX_NUMBER);
    }
    return (int) number;
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
  }
}
