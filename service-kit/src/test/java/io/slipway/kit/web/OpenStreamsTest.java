package io.slipway.kit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A caller holds at most its limit of streams; one more is a 429 that says when to retry, and
 * nobody else's count is touched. That a place is given back when a stream ends is shown over HTTP
 * (runtime-bridge's StreamLimitIT), where an emitter's end is the container's.
 */
class OpenStreamsTest {

  private final OpenStreams streams = new OpenStreams(3);

  @Test
  void oneStreamPastTheLimitIsRefusedWithWhenToRetryAndOthersStillOpen() {
    Jwt alice = user("alice", "uuid-alice");
    for (int i = 0; i < 3; i++) {
      streams.open(alice, Duration.ofMinutes(1));
    }

    assertThatThrownBy(() -> streams.open(alice, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(
            Problem.class,
            problem -> {
              assertThat(problem.status().value()).isEqualTo(429);
              assertThat(problem.slug()).isEqualTo("too-many-streams");
              assertThat(problem.retryAfter()).contains(OpenStreams.RETRY_AFTER);
              assertThat(problem.properties()).containsEntry("limit", 3);
            });
    assertThat(streams.held(alice)).isEqualTo(3);

    Jwt bob = user("bob", "uuid-bob");
    streams.open(bob, Duration.ofMinutes(1));
    assertThat(streams.held(bob)).isEqualTo(1);
  }

  @Test
  void aPersonalAccessTokenCountsAsItsOwner() {
    streams.open(user("alice", "uuid-alice"), Duration.ofMinutes(1));
    // a personal access token's principal carries the owner's username as sub and username
    streams.open(user("alice", "alice"), Duration.ofMinutes(1));

    assertThat(streams.held(user("alice", "uuid-alice"))).isEqualTo(2);
  }

  private static Jwt user(String username, String subject) {
    return Jwt.withTokenValue("token")
        .header("alg", "none")
        .subject(subject)
        .claim("preferred_username", username)
        .build();
  }
}
