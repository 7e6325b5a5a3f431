package io.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ConfigurationDoc;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every key and environment variable the portal reads. */
class ConfigurationDocTest {

  @Test
  void everyEnvironmentVariableAndPortalKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(ConfigurationDoc.environmentVariables())
        .contains("SLIPWAY_OIDC_ISSUER", "SLIPWAY_PORTAL_CLIENT_SECRET")
        .allSatisfy(variable -> assertThat(doc).contains("`" + variable + "`"));
    assertThat(PortalProperties.class.getRecordComponents())
        .allSatisfy(
            c ->
                assertThat(doc)
                    .contains("`slipway.portal." + ConfigurationDoc.kebab(c.getName()) + "`"));
    assertThat(Arrays.asList(PortalProperties.class.getRecordComponents())).hasSize(8);
  }
}
