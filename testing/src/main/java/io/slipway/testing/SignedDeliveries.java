package io.slipway.testing;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook deliveries as GitHub, GitLab and Gitea sign them, for build-service's webhook tests and
 * the whole-platform ones. The HMAC is computed here with the JDK, not with build-service's own
 * code, so a test of its check does not grade itself.
 */
public final class SignedDeliveries {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SignedDeliveries() {}

  public static HttpRequest.Builder github(
      String event, String body, String secret, String delivery) {
    return signed(body)
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
  }

  public static HttpRequest.Builder gitlab(
      String event, String body, String secret, String delivery) {
    return signed(body)
        .header("X-Gitlab-Event", event)
        .header("X-Gitlab-Event-UUID", delivery)
        .header("X-Gitlab-Token", secret);
  }

  /** Gitea signs twice: its own header, and GitHub's for compatibility. */
  public static HttpRequest.Builder gitea(
      String event, String body, String secret, String delivery) {
    return signed(body)
        .header("X-Gitea-Event", event)
        .header("X-Gitea-Delivery", delivery)
        .header("X-Gitea-Signature", hmac(secret, body))
        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
  }

  /**
   * A push event's body as the forges send it, with the fields build-service reads: {@code ref},
   * {@code after} and the pusher.
   */
  public static String push(String ref, String after) {
    return "{\"ref\":\""
        + ref
        + "\",\"before\":\""
        + "0".repeat(40)
        + "\",\"after\":\""
        + after
        + "\",\"pusher\":{\"name\":\"octocat\"}}";
  }

  public static HttpRequest.Builder signed(String body) {
    return HttpRequest.newBuilder()
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** The lower-case hex HMAC-SHA256 of the body under the secret. */
  public static String hmac(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A problem detail without its {@code instance} (the request's path), to compare answers. */
  public static String withoutInstance(String problem) {
    ObjectNode json = (ObjectNode) JSON.readTree(problem);
    json.remove("instance");
    return json.toString();
  }
}
