package io.slipway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.domain.DomainProperties;
import io.slipway.testing.ConfigurationDoc;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every key and environment variable runtime-bridge reads. */
class ConfigurationDocTest {

  @Test
  void everyEnvironmentVariableInApplicationYamlIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(ConfigurationDoc.environmentVariables())
        .hasSizeGreaterThanOrEqualTo(8)
        .allSatisfy(variable -> assertThat(doc).contains("`" + variable + "`"));
  }

  @Test
  void everySlipwayRuntimeKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : RuntimeProperties.class.getRecordComponents()) {
      if (c.getType().isRecord()) {
        for (RecordComponent nested : c.getType().getRecordComponents()) {
          keys.add(
              "slipway.runtime."
                  + ConfigurationDoc.kebab(c.getName())
                  + "."
                  + ConfigurationDoc.kebab(nested.getName()));
        }
      } else {
        keys.add("slipway.runtime." + ConfigurationDoc.kebab(c.getName()));
      }
    }
    assertThat(keys).allSatisfy(key -> assertThat(doc).contains("`" + key + "`"));
  }

  @Test
  void everyAutoscalingKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    List<String> keys = new ArrayList<>();
    for (RecordComponent c :
        io.slipway.runtime.deploy.AutoscaleProperties.class.getRecordComponents()) {
      keys.add("slipway.runtime.autoscaling." + ConfigurationDoc.kebab(c.getName()));
    }
    assertThat(keys).hasSize(3).allSatisfy(key -> assertThat(doc).contains("`" + key + "`"));
  }

  @Test
  void everyVmKeyIsDocumented() throws ClassNotFoundException {
    String doc = ConfigurationDoc.text();
    List<String> keys = new ArrayList<>();
    // package-private, as feature classes are: found by name
    for (RecordComponent c :
        Class.forName("io.slipway.runtime.vm.VmProperties").getRecordComponents()) {
      keys.add("slipway.runtime.vm." + ConfigurationDoc.kebab(c.getName()));
    }
    assertThat(keys).hasSize(7).allSatisfy(key -> assertThat(doc).contains("`" + key + "`"));
  }

  @Test
  void everyCustomDomainKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : DomainProperties.class.getRecordComponents()) {
      keys.add("slipway.runtime.domains." + ConfigurationDoc.kebab(c.getName()));
    }
    assertThat(keys).hasSize(4).allSatisfy(key -> assertThat(doc).contains("`" + key + "`"));
  }

  @Test
  void everySlipwayAuditKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(io.slipway.kit.audit.AuditSettings.class.getRecordComponents())
        .hasSize(4)
        .allSatisfy(
            c ->
                assertThat(doc)
                    .contains("`slipway.audit." + ConfigurationDoc.kebab(c.getName()) + "`")
                    .contains(
                        "`SLIPWAY_AUDIT_"
                            + ConfigurationDoc.kebab(c.getName())
                                .toUpperCase(java.util.Locale.ROOT)
                                .replace('-', '_')
                            + "`"));
  }
}
