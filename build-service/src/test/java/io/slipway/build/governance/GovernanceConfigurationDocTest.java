package io.slipway.build.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ConfigurationDoc;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every {@code slipway.build.governance.*} key and its variable. */
class GovernanceConfigurationDocTest {

  @Test
  void everyGovernanceKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    assertThat(GovernanceProperties.class.getRecordComponents())
        .hasSize(3)
        .allSatisfy(
            c -> {
              String key = "slipway.build.governance." + ConfigurationDoc.kebab(c.getName());
              assertThat(doc)
                  .contains("`" + key + "`")
                  .contains("`" + key.toUpperCase().replace('.', '_').replace('-', '_') + "`");
            });
  }
}
