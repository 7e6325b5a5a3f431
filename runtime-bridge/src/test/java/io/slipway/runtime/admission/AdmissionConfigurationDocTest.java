package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ConfigurationDoc;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every {@code slipway.runtime.admission.*} key and its variable. */
class AdmissionConfigurationDocTest {

  @Test
  void everyAdmissionKeyIsDocumented() {
    String doc = ConfigurationDoc.text();
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : AdmissionProperties.class.getRecordComponents()) {
      String key = "slipway.runtime.admission." + ConfigurationDoc.kebab(c.getName());
      if (c.getType().isRecord()) {
        for (RecordComponent nested : c.getType().getRecordComponents()) {
          keys.add(key + "." + ConfigurationDoc.kebab(nested.getName()));
        }
      } else {
        keys.add(key);
      }
    }
    assertThat(keys)
        .hasSize(10)
        .allSatisfy(
            key ->
                assertThat(doc)
                    .contains("`" + key + "`")
                    .contains("`" + key.toUpperCase().replace('.', '_').replace('-', '_') + "`"));
  }
}
