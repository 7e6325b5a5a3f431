package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VmRestartsTest {

  private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");

  private final VmRestarts restarts = new VmRestarts();

  @Test
  void theFirstRestartIsAtOnceAndEachFurtherOneInARowWaitsTwiceAsLongUpToFiveMinutes() {
    assertThat(restarts.due("a", T0)).isEqualTo(T0);
    Instant at = T0;
    for (int expected = 1; expected <= 12; expected++) {
      assertThat(restarts.restarted("a", at)).isEqualTo(expected);
      Instant due = restarts.due("a", at.plusMillis(1));
      Duration waited = Duration.between(at, due);
      assertThat(waited)
          .isEqualTo(
              expected <= 9 ? Duration.ofSeconds(1L << (expected - 1)) : Duration.ofMinutes(5));
      at = due;
    }
    assertThat(VmRestarts.delay(64)).isEqualTo(Duration.ofMinutes(5));
    // another VM's row is its own
    assertThat(restarts.due("b", T0)).isEqualTo(T0);
  }

  @Test
  void aVmThatStayedUpTenMinutesStartsANewRow() {
    restarts.restarted("a", T0);
    restarts.restarted("a", T0.plusSeconds(1));
    restarts.restarted("a", T0.plusSeconds(3));
    assertThat(restarts.due("a", T0.plusSeconds(4))).isEqualTo(T0.plusSeconds(7));
    Instant later = T0.plusSeconds(3).plus(Duration.ofMinutes(10));
    assertThat(restarts.due("a", later)).isEqualTo(later);
    assertThat(restarts.restarted("a", later)).isEqualTo(1);
  }

  @Test
  void aWaitingStopIsToldOnceAndTheApiForgetsTheRow() {
    assertThat(restarts.tell("a")).isFalse();
    restarts.restarted("a", T0);
    assertThat(restarts.told("a")).isFalse();
    assertThat(restarts.tell("a")).isTrue();
    assertThat(restarts.tell("a")).isFalse();
    assertThat(restarts.told("a")).isTrue();
    // the next restart is a new stop to tell
    assertThat(restarts.restarted("a", T0.plusSeconds(1))).isEqualTo(2);
    assertThat(restarts.told("a")).isFalse();
    restarts.forget("a");
    assertThat(restarts.due("a", T0.plusSeconds(2))).isEqualTo(T0.plusSeconds(2));
    assertThat(restarts.restarted("a", T0.plusSeconds(2))).isEqualTo(1);
  }
}
