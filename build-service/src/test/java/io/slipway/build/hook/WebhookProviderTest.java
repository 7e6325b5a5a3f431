package io.slipway.build.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

class WebhookProviderTest {

  private static final String SECRET = "It's a Secret to Everybody";
  private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);

  @Test
  void computesGitHubsDocumentedExampleSignature() {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    assertThat(WebhookProvider.hmacHex(SECRET, BODY))
        .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  }

  @Test
  void recognisesEachProviderByItsProofHeader() {
    assertThat(WebhookProvider.of(headers("X-Hub-Signature-256", "sha256=00")))
        .isEqualTo(WebhookProvider.GITHUB);
    assertThat(WebhookProvider.of(headers("X-Gitlab-Token", "x")))
        .isEqualTo(WebhookProvider.GITLAB);
    HttpHeaders gitea = headers("X-Gitea-Signature", "00");
    gitea.add("X-Hub-Signature-256", "sha256=00");
    assertThat(WebhookProvider.of(gitea)).isEqualTo(WebhookProvider.GITEA);
    assertThat(WebhookProvider.of(headers("X-Slipway-Signature", "sha256=00")))
        .isEqualTo(WebhookProvider.GENERIC);
    assertThatThrownBy(() -> WebhookProvider.of(new HttpHeaders()))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.UNAUTHORIZED));
  }

  @Test
  void acceptsGoodProofsAndRefusesBadOnes() {
    String hmac = WebhookProvider.hmacHex(SECRET, BODY);
    WebhookProvider.GITHUB.verify(
        headers("X-Hub-Signature-256", "sha256=" + hmac), BODY, Optional.of(SECRET));
    WebhookProvider.GENERIC.verify(
        headers("X-Slipway-Signature", "sha256=" + hmac), BODY, Optional.of(SECRET));
    WebhookProvider.GITEA.verify(headers("X-Gitea-Signature", hmac), BODY, Optional.of(SECRET));
    WebhookProvider.GITLAB.verify(headers("X-Gitlab-Token", SECRET), BODY, Optional.of(SECRET));

    assertUnauthorized(
        WebhookProvider.GITHUB, headers("X-Hub-Signature-256", "sha256=" + hmac), "other");
    assertUnauthorized(WebhookProvider.GITHUB, headers("X-Hub-Signature-256", hmac), SECRET);
    assertUnauthorized(WebhookProvider.GITEA, headers("X-Gitea-Signature", "ab" + hmac), SECRET);
    assertUnauthorized(WebhookProvider.GITLAB, headers("X-Gitlab-Token", SECRET + "x"), SECRET);
  }

  @Test
  void anAppWithoutASecretIsRefusedExactlyLikeABadSignature() {
    String hmac = WebhookProvider.hmacHex(SECRET, BODY);
    HttpHeaders headers = headers("X-Hub-Signature-256", "sha256=" + hmac);
    Problem noSecret =
        catchProblem(() -> WebhookProvider.GITHUB.verify(headers, BODY, Optional.empty()));
    Problem wrong =
        catchProblem(() -> WebhookProvider.GITHUB.verify(headers, BODY, Optional.of("other")));
    assertThat(noSecret.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(noSecret.toProblemDetail().getType()).isEqualTo(wrong.toProblemDetail().getType());
    assertThat(noSecret.getMessage()).isEqualTo(wrong.getMessage());
    // a GitLab token that is empty or equal to anything guessable never matches a missing secret
    assertUnauthorizedWithoutSecret(WebhookProvider.GITLAB, headers("X-Gitlab-Token", ""));
  }

  @Test
  void deliveryIdsComeFromTheProviderOrElseFromTheBody() {
    assertThat(WebhookProvider.GITHUB.deliveryId(headers("X-GitHub-Delivery", "d-1"), BODY))
        .isEqualTo("github:d-1");
    assertThat(WebhookProvider.GITLAB.deliveryId(headers("X-Gitlab-Event-UUID", "u-1"), BODY))
        .isEqualTo("gitlab:u-1");
    assertThat(WebhookProvider.GENERIC.deliveryId(new HttpHeaders(), BODY))
        .startsWith("generic:body:")
        .isEqualTo(WebhookProvider.GENERIC.deliveryId(new HttpHeaders(), BODY.clone()));
  }

  @Test
  void onlyPushEventsAreBuilt() {
    assertThat(WebhookProvider.GITHUB.otherEvent(headers("X-GitHub-Event", "ping")))
        .contains("ping");
    assertThat(WebhookProvider.GITHUB.otherEvent(headers("X-GitHub-Event", "push"))).isEmpty();
    assertThat(WebhookProvider.GITLAB.otherEvent(headers("X-Gitlab-Event", "Push Hook"))).isEmpty();
    assertThat(WebhookProvider.GENERIC.otherEvent(new HttpHeaders())).isEmpty();
  }

  @Test
  void readsPushBodiesAndRefusesMalformedOnes() {
    String commit = "a".repeat(40);
    PushEvent push =
        PushEvent.parse(
            ("{\"ref\":\"refs/heads/main\",\"after\":\""
                    + commit
                    + "\",\"pusher\":{\"name\":\"octocat\"}}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(push).isEqualTo(new PushEvent("refs/heads/main", commit, "octocat"));
    assertThat(
            PushEvent.parse(json("{\"ref\":\"refs/heads/x\",\"after\":\"" + "0".repeat(40) + "\"}"))
                .deleted())
        .isTrue();
    for (String bad :
        new String[] {
          "not json",
          "[]",
          "{\"ref\":\"main\",\"after\":\"" + commit + "\"}",
          "{\"ref\":\"refs/heads/main\"}",
          "{\"ref\":\"refs/heads/main\",\"after\":\"HEAD\"}"
        }) {
      assertThatThrownBy(() -> PushEvent.parse(json(bad)))
          .as(bad)
          .isInstanceOfSatisfying(
              Problem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.BAD_REQUEST));
    }
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertUnauthorized(
      WebhookProvider provider, HttpHeaders headers, String secret) {
    assertThatThrownBy(() -> provider.verify(headers, BODY, Optional.of(secret)))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.UNAUTHORIZED));
  }

  private static void assertUnauthorizedWithoutSecret(
      WebhookProvider provider, HttpHeaders headers) {
    assertThatThrownBy(() -> provider.verify(headers, BODY, Optional.empty()))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.UNAUTHORIZED));
  }

  private static Problem catchProblem(Runnable call) {
    try {
      call.run();
    } catch (Problem problem) {
      return problem;
    }
    throw new AssertionError("expected a Problem");
  }

  private static HttpHeaders headers(String name, String value) {
    HttpHeaders headers = new HttpHeaders();
    headers.add(name, value);
    return headers;
  }
}
