package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scale-to-zero setting as the API takes it: bounds and shapes, each refusal a clear 400. */
class ScaleToZeroSettingTest {

  @Test
  void periodsInSecondsMinutesOrHoursFromOneMinuteToADay() {
    assertThat(new ScaleToZeroSetting(true, "5m", null).validated().idleAfter())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(new ScaleToZeroSetting(true, "60s", null).validated().idleAfter())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(new ScaleToZeroSetting(true, "90s", null).validated().idleAfter())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(new ScaleToZeroSetting(true, "24h", null).validated().idleAfter())
        .isEqualTo(Duration.ofHours(24));
    assertThat(new ScaleToZeroSetting(true, "1440m", null).validated().idleAfter())
        .isEqualTo(Duration.ofHours(24));
  }

  @Test
  void fiveMinutesWhenNotGivenAndNothingWhenDisabled() {
    assertThat(new ScaleToZeroSetting(true, null, null).validated())
        .isEqualTo(new ScaleToZeroSetting.Periods(Duration.ofMinutes(5), Duration.ZERO));
    assertThat(new ScaleToZeroSetting(false, "nonsense", null).validated()).isNull();
  }

  @Test
  void outOfBoundsIsRefusedNamingTheBounds() {
    for (String period : new String[] {"59s", "0m", "25h", "86401s", "99999h"}) {
      assertThatThrownBy(() -> new ScaleToZeroSetting(true, period, null).validated())
          .as(period)
          .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
          .hasMessageContaining("from 1m to 24h");
    }
  }

  @Test
  void shapesThatAreNotAPeriodAreRefused() {
    for (String period : new String[] {"", "5", "5 m", "5min", "-5m", "1.5h", "PT5M", "123456m"}) {
      assertThatThrownBy(() -> new ScaleToZeroSetting(true, period, null).validated())
          .as(period)
          .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
          .hasMessageContaining("such as 90s, 5m or 2h");
    }
    assertThatThrownBy(() -> new ScaleToZeroSetting(true, "x".repeat(500) + "\n", null).validated())
        .hasMessageNotContaining("\n\"")
        .hasMessageContaining("...");
  }

  @Test
  void aPausedStageFromNothingToADayBeforeTheStop() {
    assertThat(new ScaleToZeroSetting(true, "2m", "10m").validated())
        .isEqualTo(new ScaleToZeroSetting.Periods(Duration.ofMinutes(2), Duration.ofMinutes(10)));
    assertThat(new ScaleToZeroSetting(true, "2m", "0s").validated().pausedFor()).isZero();
    assertThat(new ScaleToZeroSetting(true, "2m", "24h").validated().pausedFor())
        .isEqualTo(Duration.ofHours(24));
    assertThatThrownBy(() -> new ScaleToZeroSetting(true, "2m", "25h").validated())
        .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
        .hasMessageContaining("pausedFor must be from 0s (stop at once) to 24h");
    assertThatThrownBy(() -> new ScaleToZeroSetting(true, "2m", "-1s").validated())
        .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
        .hasMessageContaining("pausedFor must be a whole number");
    assertThat(ScaleToZeroSetting.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void enabledIsRequired() {
    assertThatThrownBy(() -> new ScaleToZeroSetting(null, "5m", null).validated())
        .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
        .hasMessageContaining("enabled is required");
  }

  @Test
  void periodsShowInTheirLargestWholeUnit() {
    assertThat(ScaleToZeroSetting.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(ScaleToZeroSetting.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(ScaleToZeroSetting.format(Duration.ofHours(2))).isEqualTo("2h");
  }

  private static void isBadSetting(Problem problem) {
    assertThat(problem.toProblemDetail().getStatus()).isEqualTo(400);
    assertThat(String.valueOf(problem.toProblemDetail().getType()))
        .endsWith("/invalid-scale-to-zero");
  }
}
