package io.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ConfigurationDoc;
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
        .hasSize(5)
        .allSatisfy(
            c ->
                assertThat(doc)
                    .contains(
                        "`slipway.build.kubernetes." + ConfigurationDoc.kebab(c.getName()) + "`"));
    assertThat(doc)
        .contains("`slipway.build.stacks.static.base-image`")
        .contains("`slipway.build.stacks.static.web-root`")
        .contains("`slipway.build.stacks.static.port`");
    for (String key :
        new String[] {
          "node.builder-image",
          "node.runtime-image",
          "python.image",
          "python.index-url",
          "java-maven.builder-image",
          "java-maven.runtime-image",
          "java-gradle.builder-image",
          "java-gradle.runtime-image",
          "go.builder-image",
          "go.runtime-image",
          "ruby.builder-image",
          "ruby.runtime-image",
          "ruby.gem-source",
          "php.builder-image",
          "php.runtime-image"
        }) {
      assertThat(doc).contains("`slipway.build.stacks." + key + "`");
    }
    assertThat(doc)
        .contains("`slipway.build.registry.url`")
        .contains("`slipway.build.registry.tls-verify`")
        .contains("`slipway.build.registry.timeout`");
  }

  @Test
  void everyCommitStatusKeyAndTheSealingKeysAreDocumented() throws ClassNotFoundException {
    String doc = ConfigurationDoc.text();
    // package-private in its feature package
    assertThat(Class.forName("io.slipway.build.hook.CommitStatusProperties").getRecordComponents())
        .hasSize(5)
        .allSatisfy(
            c ->
                assertThat(doc)
                    .contains(
                        "`slipway.build.commit-status."
                            + ConfigurationDoc.kebab(c.getName())
                            + "`"));
    assertThat(doc)
        .contains("| `slipway.build.secret-key` | `SLIPWAY_BUILD_SECRET_KEY` |")
        .contains(
            "| `slipway.build.previous-secret-keys` | `SLIPWAY_BUILD_PREVIOUS_SECRET_KEYS` |");
  }

  @Test
  void everySlipwayBuildKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(BuildProperties.class.getRecordComponents())
        .hasSize(25)
        .allSatisfy(
            c ->
                assertThat(doc)
                    .contains("`slipway.build." + ConfigurationDoc.kebab(c.getName()) + "`"));
  }
}
