package io.slipway.build.hook;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Webhook deliveries as GitHub, GitLab and Gitea sign them, for the webhook tests. */
final class SignedDeliveries {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SignedDeliveries() {}

  static HttpRequest.Builder github(String event, String body, String secret, String delivery) {
    return signed(body)
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
  }

  static HttpRequest.Builder gitlab(String event, String body, String secret, String delivery) {
    return signed(body)
        .header("X-Gitlab-Event", event)
        .header("X-Gitlab-Event-UUID", delivery)
        .header("X-Gitlab-Token", secret);
  }

  /** Gitea signs twice: its own header, and GitHub's for compatibility. */
  static HttpRequest.Builder gitea(String event, String body, String secret, String delivery) {
    return signed(body)
        .header("X-Gitea-Event", event)
        .header("X-Gitea-Delivery", delivery)
        .header("X-Gitea-Signature", hmac(secret, body))
        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
  }

  static HttpRequest.Builder signed(String body) {
    return HttpRequest.newBuilder()
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static String hmac(String secret, String body) {
    return WebhookProvider.hmacHex(secret, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A problem detail without its {@code instance} (the request's path), to compare answers. */
  static String withoutInstance(String problem) {
    ObjectNode json = (ObjectNode) JSON.readTree(problem);
    json.remove("instance");
    return json.toString();
  }
}
