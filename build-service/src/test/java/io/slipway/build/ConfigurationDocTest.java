package io.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ConfigurationDoc;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every key and environment variable build-service reads. */
class ConfigurationDocTest {

  @Test
  void everyEnvironmentVariableInApplicationYamlIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(ConfigurationDoc.environmentVariables())
        .hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(variable -> assertThat(doc).contains("`" + variable + "`"));
  }

  @Test
  void everySlipwayBuildKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(BuildProperties.class.getRecordComponents())
        .hasSize(16)
        .allSatisfy(
            c ->
                assertThat(doc)
                    .contains(
                        "`slipway.build."
                            + c.getName()
                                .replaceAll("([a-z])([A-Z])", "$1-$2")
                                .toLowerCase(Locale.ROOT)
                            + "`"));
  }
}
