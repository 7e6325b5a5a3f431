package io.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's README documents every value in values.yaml. */
class ValuesDocTest {

  @Test
  void everyValueIsDocumented() throws IOException {
    Map<?, ?> values =
        Serialization.unmarshal(Files.readString(Rendered.CHART.resolve("values.yaml")), Map.class);
    String readme = Files.readString(Path.of("README.md"));
    List<String> keys = new ArrayList<>();
    flatten("", values, keys);
    assertThat(keys).hasSizeGreaterThan(15);
    assertThat(keys).allSatisfy(key -> assertThat(readme).contains("`" + key + "`"));
  }

  /** Value paths, with each service's settings under {@code services.<name>}. */
  private static void flatten(String prefix, Map<?, ?> map, List<String> keys) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = prefix + entry.getKey();
      if (key.startsWith("services.") && key.chars().filter(c -> c == '.').count() == 1) {
        ((Map<?, ?>) entry.getValue())
            .keySet()
            .forEach(setting -> keys.add("services.<name>." + setting));
      } else if (entry.getValue() instanceof Map<?, ?> nested
          && !nested.isEmpty()
          && !key.equals("commonLabels")) {
        flatten(key + ".", nested, keys);
      } else {
        keys.add(key);
      }
    }
  }
}
