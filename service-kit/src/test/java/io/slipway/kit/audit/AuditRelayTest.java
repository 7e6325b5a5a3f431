package io.slipway.kit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long an event waits between tries while tenant-service is down. */
class AuditRelayTest {

  @Test
  void theWaitDoublesFromTheIntervalUpToTheMaximum() {
    AuditRelay relay =
        new AuditRelay(
            null,
            (id, json) -> AuditSink.Outcome.RETRY,
            new AuditSettings(
                List.of("127.0.0.1"), "portal", Duration.ofSeconds(5), Duration.ofSeconds(60)));
    assertThat(List.of(0, 1, 2, 3, 4, 5, 50).stream().map(relay::backoff))
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
  }
}
