package io.slipway.tenant.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ConfigurationDoc;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every key and environment variable tenant-service reads. */
class ConfigurationDocTest {

  @Test
  void everyEnvironmentVariableInApplicationYamlIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(ConfigurationDoc.environmentVariables())
        .hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(variable -> assertThat(doc).contains("`" + variable + "`"));
  }

  @Test
  void everyDefaultQuotaKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    List<String> keys =
        Arrays.stream(QuotaProperties.DefaultQuota.class.getRecordComponents())
            .map(c -> "slipway.tenant.default-quota." + ConfigurationDoc.kebab(c.getName()))
            .toList();
    assertThat(keys).hasSize(9).allSatisfy(key -> assertThat(doc).contains("`" + key + "`"));
  }
}
