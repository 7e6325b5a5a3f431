package io.slipway.tenant.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every key and environment variable tenant-service reads. */
class ConfigurationDocTest {

  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void everyEnvironmentVariableInApplicationYamlIsDocumented() throws IOException {
    String yaml = Files.readString(Path.of("src", "main", "resources", "application.yaml"));
    Matcher placeholders = Pattern.compile("\\$\\{(SLIPWAY_[A-Z_]+)").matcher(yaml);
    String doc = Files.readString(DOC);
    List<String> variables = placeholders.results().map(m -> m.group(1)).toList();
    assertThat(variables).isNotEmpty();
    assertThat(variables).allSatisfy(variable -> assertThat(doc).contains("`" + variable + "`"));
  }

  @Test
  void everyDefaultQuotaKeyIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    List<String> keys =
        Arrays.stream(QuotaProperties.DefaultQuota.class.getRecordComponents())
            .map(c -> "slipway.tenant.default-quota." + kebab(c.getName()))
            .toList();
    assertThat(keys).hasSize(7);
    assertThat(keys).allSatisfy(key -> assertThat(doc).contains("`" + key + "`"));
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
