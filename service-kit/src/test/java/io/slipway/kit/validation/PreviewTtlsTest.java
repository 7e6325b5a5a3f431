package io.slipway.kit.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreviewTtlsTest {

  @ParameterizedTest
  @CsvSource({
    "1h, 1h",
    "7d, 7d",
    "P7D, 7d",
    "PT36H, 36h",
    "90m, 90m",
    "90d, 90d",
    "PT3601S, 3601s",
    "2160h, 90d"
  })
  void readsBothFormsAndAnswersInTheLargestWholeUnit(String text, String answered) {
    Duration ttl = PreviewTtls.parse(text);
    assertThat(ttl).isNotNull();
    assertThat(PreviewTtls.format(ttl)).isEqualTo(answered);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"59m", "PT59M59S", "91d", "2161h", "-1d", "0", "", "7 d", "7days", "forever"})
  void refusesWhatIsOutOfBoundsOrNoDuration(String text) {
    assertThat(PreviewTtls.parse(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 33, 200})
  void refusesLongTextBeforeParsingIt(int length) {
    String text = "1".repeat(length - 1) + "d";
    assertThat(PreviewTtls.parse(text)).isNull();
  }

  @Test
  void theRuleNamesTheBounds() {
    assertThat(PreviewTtls.RULE).isEqualTo("a duration such as 7d, 36h or P7D, from 1h to 90d");
  }
}
