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
    assertThat(new ScaleToZeroSetting(true, "5m").validated()).isEqualTo(Duration.ofMinutes(5));
    assertThat(new ScaleToZeroSetting(true, "60s").validated()).isEqualTo(Duration.ofMinutes(1));
    assertThat(new ScaleToZeroSetting(true, "90s").validated()).isEqualTo(Duration.ofSeconds(90));
    assertThat(new ScaleToZeroSetting(true, "24h").validated()).isEqualTo(Duration.ofHours(24));
    assertThat(new ScaleToZeroSetting(true, "1440m").validated()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void fiveMinutesWhenNotGivenAndNothingWhenDisabled() {
    assertThat(new ScaleToZeroSetting(true, null).validated()).isEqualTo(Duration.ofMinutes(5));
    assertThat(new ScaleToZeroSetting(false, "nonsense").validated()).isNull();
  }

  @Test
  void outOfBoundsIsRefusedNamingTheBounds() {
    for (String period : new String[] {"59s", "0m", "25h", "86401s", "99999h"}) {
      assertThatThrownBy(() -> new ScaleToZeroSetting(true, period).validated())
          .as(period)
          .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
          .hasMessageContaining("from 1m to 24h");
    }
  }

  @Test
  void shapesThatAreNotAPeriodAreRefused() {
    for (String period : new String[] {"", "5", "5 m", "5min", "-5m", "1.5h", "PT5M", "123456m"}) {
      assertThatThrownBy(() -> new ScaleToZeroSetting(true, period).validated())
          .as(period)
          .isInstanceOfSatisfying(Problem.class, ScaleToZeroSettingTest::isBadSetting)
          .hasMessageContaining("such as 90s, 5m or 2h");
    }
    assertThatThrownBy(() -> new ScaleToZeroSetting(true, "x".repeat(500) + "\n").validated())
        .hasMessageNotContaining("\n\"")
        .hasMessageContaining("...");
  }

  @Test
  void enabledIsRequired() {
    assertThatThrownBy(() -> new ScaleToZeroSetting(null, "5m").validated())
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
