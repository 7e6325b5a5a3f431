package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import org.junit.jupiter.api.Test;

class AutoscaleSettingTest {

  @Test
  void leftOutBoundsTakeTheDefaultsAndOffIsNull() {
    assertThat(new AutoscaleSetting(true, null, null, null).validated())
        .isEqualTo(new AutoscaleSetting.Bounds(1, 10, 10));
    // a minimum above the default maximum raises the maximum with it
    assertThat(new AutoscaleSetting(true, 12, null, 5).validated())
        .isEqualTo(new AutoscaleSetting.Bounds(12, 12, 5));
    assertThat(new AutoscaleSetting(false, 3, 1, 0).validated()).isNull();
  }

  @Test
  void outOfBoundsIsRefusedNamingTheBound() {
    assertRefused(new AutoscaleSetting(null, 1, 2, 3), "enabled is required");
    assertRefused(new AutoscaleSetting(true, 0, 2, 3), "min must be from 1 to 100, not 0");
    assertRefused(new AutoscaleSetting(true, 3, 2, 3), "max must be from min (3) to 100, not 2");
    assertRefused(new AutoscaleSetting(true, 1, 101, 3), "max must be from min (1) to 100");
    assertRefused(
        new AutoscaleSetting(true, 1, 2, 0), "targetConcurrency must be from 1 to 10000, not 0");
  }

  @Test
  void aPanicWindowLongerThanTheStableOneStopsTheStart() {
    assertThatThrownBy(
            () ->
                new AutoscaleProperties(
                    java.time.Duration.ofSeconds(2),
                    java.time.Duration.ofSeconds(6),
                    java.time.Duration.ofSeconds(60)))
        .hasMessageContaining("panic-window (PT1M) must be positive and no longer than");
  }

  private static void assertRefused(AutoscaleSetting setting, String detail) {
    assertThatThrownBy(setting::validated)
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.slug()).isEqualTo("invalid-autoscaling"))
        .hasMessageContaining(detail);
  }
}
