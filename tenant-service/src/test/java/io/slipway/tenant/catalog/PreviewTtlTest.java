package io.slipway.tenant.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The constraint applies service-kit's rule ({@code PreviewTtlsTest} tests the rule itself). */
class PreviewTtlTest {

  @ParameterizedTest
  @ValueSource(strings = {"1h", "7d", "P7D", "PT36H", "90d"})
  void takesATtlWithinTheBounds(String text) {
    assertThat(new PreviewTtl.Check().isValid(text, null)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"59m", "91d", "", "7 d", "forever"})
  void refusesWhatIsOutOfBoundsOrNoDuration(String text) {
    assertThat(new PreviewTtl.Check().isValid(text, null)).isFalse();
  }

  @Test
  void aFieldLeftOutIsValid() {
    assertThat(new PreviewTtl.Check().isValid(null, null)).isTrue();
  }
}
