package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/openapi/<service>.json}: the OpenAPI document a service serves at {@code
 * /v3/api-docs}, committed. A service's test compares what it serves with it, so a change of the
 * API shows in review as a change of that file, and slipway-cli's client, generated from these
 * files ({@code ClientGenerator}), is regenerated with it. Both are compared in one form ({@link
 * #normalized}), so only a change of the API itself differs.
 */
public final class ApiDocumentSnapshot {

  /** Set (to anything) to write the served documents instead of comparing them. */
  public static final String WRITE = "SLIPWAY_OPENAPI_WRITE";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private ApiDocumentSnapshot() {}

  /** The committed document of {@code service}, read from a module's directory. */
  public static Path file(String service) {
    return Path.of("..", "docs", "openapi", service + ".json");
  }

  /**
   * A document in the one form the files have: every object's keys sorted (the order a service
   * lists paths, schemas or a bean's properties in comes from reflection and is not its API), and
   * without its {@code servers} (where the service answered, not what it answers).
   */
  public static String normalized(String document) {
    Map<?, ?> parsed = JSON.readValue(document, Map.class);
    parsed.remove("servers");
    return JSON.writeValueAsString(parsed) + "\n";
  }

  /**
   * Fails unless {@code served} is the committed document of {@code service} (or writes it when
   * {@value #WRITE} is set), naming the first line that differs.
   */
  public static void check(String service, String served) {
    Path file = file(service);
    String actual = normalized(served);
    try {
      if (System.getenv(WRITE) != null) {
        Files.writeString(file, actual);
        return;
      }
      String committed = Files.exists(file) ? Files.readString(file) : "";
      if (!committed.equals(actual)) {
        throw new AssertionError(
            "%s's API is not the one in %s (first difference at line %d: %s). If the change is"
                    .formatted(
                        service,
                        file.normalize(),
                        firstDifference(committed, actual),
                        actual
                            .lines()
                            .skip(firstDifference(committed, actual) - 1)
                            .findFirst()
                            .orElse("(end)")
                            .strip())
                + " meant, run this test again with "
                + WRITE
                + "=1 to rewrite the file, then regenerate slipway-cli's client (docs/cli.md).");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int firstDifference(String a, String b) {
    String[] left = a.split("\n", -1);
    String[] right = b.split("\n", -1);
    int line = 0;
    while (line < left.length && line < right.length && left[line].equals(right[line])) {
      line++;
    }
    return line + 1;
  }
}
