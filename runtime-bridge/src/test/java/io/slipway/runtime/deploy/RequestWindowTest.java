package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestWindowTest {

  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private final RequestWindow window =
      new RequestWindow(Duration.ofSeconds(60), Duration.ofSeconds(6));

  /** Samples {@code inFlight} every 2 s from second {@code from} up to and with {@code to}. */
  private void steady(int from, int to, int inFlight) {
    for (int s = from; s <= to; s += 2) {
      window.add(T0.plusSeconds(s), inFlight);
    }
  }

  private RequestWindow.Decision at(int second, int current) {
    return window.decide(T0.plusSeconds(second), current, 1, 10, 10);
  }

  @Test
  void nothingIsDecidedBeforeThePanicWindowIsCovered() {
    window.add(T0, 500);
    assertThat(at(4, 1).replicas()).isEqualTo(1);
    window.add(T0.plusSeconds(6), 500);
    assertThat(at(6, 1).replicas()).isEqualTo(10);
  }

  @Test
  void aSteadyLoadSetsTheCountByTheStableAverage() {
    steady(0, 60, 25);
    RequestWindow.Decision decision = at(60, 3);
    assertThat(decision.replicas()).isEqualTo(3);
    assertThat(decision.stableAverage()).isEqualTo(25.0);
    assertThat(decision.panicking()).isFalse();
  }

  @Test
  void aBurstOfTwiceTheRunningCapacityPanicsUpAtOnce() {
    steady(0, 50, 5);
    steady(52, 60, 45);
    RequestWindow.Decision decision = at(60, 1);
    assertThat(decision.panicking()).isTrue();
    // the panic window's 45 in flight, not the stable window's average of about 12
    assertThat(decision.replicas()).isEqualTo(5);
  }

  @Test
  void aPanicNeverScalesDownAndEndsAStableWindowAfterItsLastBurst() {
    steady(0, 10, 40);
    assertThat(at(10, 1).replicas()).isEqualTo(4);
    steady(12, 60, 0);
    // quiet since second 12, but the panic that began at 10 holds 4 until second 70
    assertThat(at(60, 4).replicas()).isEqualTo(4);
    steady(62, 70, 0);
    RequestWindow.Decision after = at(70, 4);
    assertThat(after.panicking()).isFalse();
    assertThat(after.replicas()).isEqualTo(1);
  }

  @Test
  void aQuietAppGoesDownToItsMinimumAndABusyOneStopsAtItsMaximum() {
    steady(0, 60, 0);
    assertThat(window.decide(T0.plusSeconds(60), 3, 2, 10, 10).replicas()).isEqualTo(2);
    RequestWindow busy = new RequestWindow(Duration.ofSeconds(60), Duration.ofSeconds(6));
    for (int s = 0; s <= 60; s += 2) {
      busy.add(T0.plusSeconds(s), 1000);
    }
    assertThat(busy.decide(T0.plusSeconds(60), 10, 1, 10, 10).replicas()).isEqualTo(10);
  }

  @Test
  void samplesOlderThanTheStableWindowNoLongerCount() {
    steady(0, 30, 100);
    steady(32, 120, 10);
    assertThat(at(120, 1).stableAverage()).isEqualTo(10.0);
  }

  @Test
  void thePanicWindowMustFitInTheStableOne() {
    assertThatThrownBy(() -> new RequestWindow(Duration.ofSeconds(6), Duration.ofSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
