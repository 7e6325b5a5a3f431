package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** docs/configuration.md, which must name every setting a service reads. */
public final class ConfigurationDoc {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(SLIPWAY_[A-Z_]+)");

  private ConfigurationDoc() {}

  /** The reference, read from a module's directory (the working directory of its tests). */
  public static String text() {
    try {
      return Files.readString(Path.of("..", "docs", "configuration.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A record component's name as its property key segment: {@code memoryMib} → {@code memory-mib}.
   */
  public static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** Every {@code ${SLIPWAY_...}} environment variable the module's application.yaml reads. */
  public static List<String> environmentVariables() {
    try {
      String yaml = Files.readString(Path.of("src", "main", "resources", "application.yaml"));
      return PLACEHOLDER.matcher(yaml).results().map(m -> m.group(1)).distinct().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
