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
  void everyKubernetesExecutorAndStackKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(io.slipway.build.kubernetes.KubernetesBuildProperties.class.getRecordComponents())
        .hasSize(4)
        .allSatisfy(
            c -> assertThat(doc).contains("`slipway.build.kubernetes." + kebab(c.getName()) + "`"));
    assertThat(doc)
        .contains("`slipway.build.stacks.static.base-image`")
        .contains("`slipway.build.stacks.static.web-root`")
        .contains("`slipway.build.stacks.static.port`");
  }

  private static String kebab(String name) {
    return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  @Test
  void everySlipwayBuildKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(BuildProperties.class.getRecordComponents())
        .hasSize(18)
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
