package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code Prefer: wait} header as RFC 7240 writes it, and what is ignored. */
class RolloutWaitTest {

  @Test
  void theWaitIsReadAmongOtherPreferencesAndCapped() {
    assertThat(RolloutWait.preferred("wait=30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(RolloutWait.preferred("respond-async, wait=10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(RolloutWait.preferred("return=minimal; foo=\"bar\", WAIT = 5"))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(RolloutWait.preferred("wait=\"20\"")).isEqualTo(Duration.ofSeconds(20));
    assertThat(RolloutWait.preferred("wait=86400")).isEqualTo(RolloutWait.MAX);
  }

  @Test
  void withoutAWholeNumberOfSecondsItAnswersAtOnce() {
    assertThat(RolloutWait.preferred(null)).isZero();
    assertThat(RolloutWait.preferred("")).isZero();
    assertThat(RolloutWait.preferred("respond-async")).isZero();
    assertThat(RolloutWait.preferred("wait=soon")).isZero();
    assertThat(RolloutWait.preferred("wait=-5")).isZero();
    assertThat(RolloutWait.preferred("wait=1.5")).isZero();
  }
}
