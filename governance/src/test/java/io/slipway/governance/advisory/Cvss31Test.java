package io.slipway.governance.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Cvss31Test {

  @ParameterizedTest
  @CsvSource({
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0, CRITICAL",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1, MEDIUM",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N, 5.4, MEDIUM",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8, HIGH",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N, 5.9, MEDIUM",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5, HIGH",
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.6, LOW",
    "CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N, 5.4, MEDIUM",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0, NONE",
  })
  void computesTheBaseScoreAndItsBand(String vector, double score, Severity severity) {
    assertThat(Cvss31.baseScore(vector)).isEqualTo(score);
    assertThat(Severity.ofScore(score)).isEqualTo(severity);
  }

  @Test
  void roundUpIsCvss31s() {
    assertThat(Cvss31.roundUp(4.02)).isEqualTo(4.1);
    assertThat(Cvss31.roundUp(4.0)).isEqualTo(4.0);
    assertThat(Cvss31.roundUp(4.000001)).isEqualTo(4.0);
  }

  @Test
  void refusesVectorsThatAreNotV3OrIncomplete() {
    assertThatThrownBy(() -> Cvss31.baseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cvss31.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"))
        .hasMessageContaining("lacks A");
  }
}
