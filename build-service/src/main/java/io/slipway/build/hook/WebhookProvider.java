package io.slipway.build.hook;

import io.slipway.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;

/**
 * The senders of webhooks and how each proves it knows the app's secret. Pure functions of the
 * request's headers and body; every comparison is constant-time.
 *
 * <ul>
 *   <li>GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, event in {@code
 *       X-GitHub-Event}, delivery id in {@code X-GitHub-Delivery}.
 *   <li>GitLab: {@code X-Gitlab-Token: <the secret>}, event in {@code X-Gitlab-Event}, delivery id
 *       in {@code Idempotency-Key} or {@code X-Gitlab-Event-UUID}.
 *   <li>Gitea (and Forgejo): {@code X-Gitea-Signature: <hex HMAC-SHA256 of the body>}, event in
 *       {@code X-Gitea-Event}, delivery id in {@code X-Gitea-Delivery}.
 *   <li>generic: {@code X-Slipway-Signature: sha256=<hex HMAC-SHA256 of the body>}, delivery id in
 *       {@code X-Slipway-Delivery}; every delivery is a push.
 * </ul>
 *
 * <p>GitHub and Gitea report pull requests as {@code pull_request}, GitLab merge requests as {@code
 * Merge Request Hook}; {@link PullRequestEvent} reads them.
 */
enum WebhookProvider {
  // Gitea also sends X-Hub-Signature-256 for GitHub compatibility, so it is recognised first.
  GITEA(
      "gitea",
      "X-Gitea-Signature",
      "X-Gitea-Event",
      "push",
      "X-Gitea-Delivery",
      "pull_request",
      "refs/pull/%d/head"),
  GITHUB(
      "github",
      "X-Hub-Signature-256",
      "X-GitHub-Event",
      "push",
      "X-GitHub-Delivery",
      "pull_request",
      "refs/pull/%d/head"),
  GITLAB(
      "gitlab",
      "X-Gitlab-Token",
      "X-Gitlab-Event",
      "Push Hook",
      "Idempotency-Key",
      "Merge Request Hook",
      "refs/merge-requests/%d/head"),
  GENERIC("generic", "X-Slipway-Signature", null, null, "X-Slipway-Delivery", null, null);

  /** Stands in for a missing secret so that the check costs the same; never matches. */
  private static final String UNMATCHABLE = HexFormat.of().formatHex(randomBytes());

  private final String value;
  private final String proofHeader;
  private final String eventHeader;
  private final String pushEvent;
  private final String deliveryHeader;
  private final String pullRequestEvent;
  private final String pullRequestRef;

  WebhookProvider(
      String value,
      String proofHeader,
      String eventHeader,
      String pushEvent,
      String deliveryHeader,
      String pullRequestEvent,
      String pullRequestRef) {
    this.pullRequestEvent = pullRequestEvent;
    this.pullRequestRef = pullRequestRef;
    this.value = value;
    this.proofHeader = proofHeader;
    this.eventHeader = eventHeader;
    this.pushEvent = pushEvent;
    this.deliveryHeader = deliveryHeader;
  }

  String value() {
    return value;
  }

  /** The provider whose signature or token header the request carries; 401 when none does. */
  static WebhookProvider of(HttpHeaders headers) {
    return Stream.of(values())
        .filter(provider -> headers.getFirst(provider.proofHeader) != null)
        .findFirst()
        .orElseThrow(
            () ->
                Problem.unauthorized(
                    "missing-signature",
                    "The delivery carries no X-Hub-Signature-256, X-Gitlab-Token,"
                        + " X-Gitea-Signature or X-Slipway-Signature header"));
  }

  /**
   * Checks the delivery's proof against the app's secret; 401 when it does not match or the app has
   * no secret (or does not exist): the answer and the work done are the same in every case.
   */
  void verify(HttpHeaders headers, byte[] body, Optional<String> secret) {
    String proof = headers.getFirst(proofHeader).trim();
    String key = secret.orElse(UNMATCHABLE);
    boolean valid =
        switch (this) {
          case GITLAB -> constantTimeEquals(sha256(proof), sha256(key));
          case GITEA -> constantTimeEquals(proof.toLowerCase(Locale.ROOT), hmacHex(key, body));
          case GITHUB, GENERIC ->
              constantTimeEquals(proof.toLowerCase(Locale.ROOT), "sha256=" + hmacHex(key, body));
        };
    if (!valid || secret.isEmpty()) {
      throw badSignature();
    }
  }

  /** The one answer to every delivery that does not prove it knows the app's current secret. */
  Problem badSignature() {
    return Problem.unauthorized(
        "bad-signature",
        "The "
            + proofHeader
            + " header does not match the webhook secret of the app at this URL (a developer"
            + " reads the secret at GET .../webhook)");
  }

  /** Whether the delivery reports a pull (GitLab: merge) request event. */
  boolean pullRequest(HttpHeaders headers) {
    return pullRequestEvent != null && pullRequestEvent.equals(headers.getFirst(eventHeader));
  }

  /**
   * The ref under which the forge keeps pull request {@code number}'s head in the base repository:
   * {@code refs/pull/<N>/head} (GitHub, Gitea), {@code refs/merge-requests/<N>/head} (GitLab).
   */
  String pullRequestRef(int number) {
    return pullRequestRef.formatted(number);
  }

  /** The event the delivery reports, when this provider names one that is not a push. */
  Optional<String> otherEvent(HttpHeaders headers) {
    if (eventHeader == null) {
      return Optional.empty();
    }
    String event = headers.getFirst(eventHeader);
    return event == null || event.equals(pushEvent) ? Optional.empty() : Optional.of(event);
  }

  /**
   * The delivery's id, stable across redeliveries: the provider's delivery header, or else a hash
   * of the body (a redelivery sends the same body).
   */
  String deliveryId(HttpHeaders headers, byte[] body) {
    String id = headers.getFirst(deliveryHeader);
    if (id == null && this == GITLAB) {
      id = headers.getFirst("X-Gitlab-Event-UUID");
    }
    if (id == null || id.isBlank() || id.length() > 200) {
      return value + ":body:" + HexFormat.of().formatHex(digest(body));
    }
    return value + ":" + id.trim();
  }

  /** The lower-case hex HMAC-SHA256 of {@code body} keyed with {@code secret}. */
  static String hmacHex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
