package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's wiring as {@code config/platform.env} writes it once: the services, their ports,
 * databases, secrets and the URLs they are given of each other. {@code ./slipway} reads the same
 * file (scripts/lib.sh), by the same rules: {@code KEY=value} lines, the value everything after the
 * first {@code =}, {@code #} comment lines, no quotes and no expansion, lists separated by spaces.
 *
 * @param values every key of the file, in the file's order
 */
public record PlatformWiring(Map<String, String> values) {

  private static final Path FILE = Path.of("config", "platform.env");
  private static PlatformWiring loaded;

  /** A variable and the name of the service or secret it is wired to. */
  public record Entry(String variable, String target) {}

  public PlatformWiring {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * The repository's file, found from the working directory (a module's, when its tests run) up.
   */
  public static synchronized PlatformWiring platform() {
    if (loaded == null) {
      loaded = read(root().resolve(FILE));
    }
    return loaded;
  }

  /** The repository's root: the nearest directory at or above the working directory with it. */
  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FILE))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + FILE + " at or above " + Path.of("").toAbsolutePath());
  }

  /** Parses a file of the format above; a line that is not {@code KEY=value} is an error. */
  public static PlatformWiring read(Path file) {
    try {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int equals = line.indexOf('=');
        if (equals < 0) {
          throw new IllegalArgumentException(file + ": not KEY=value: " + line);
        }
        values.put(line.substring(0, equals), line.substring(equals + 1));
      }
      return new PlatformWiring(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A key's value; a missing key is an error in the file. */
  public String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException(FILE + " has no " + key);
    }
    return value;
  }

  /** A list's items; none when the key is absent. */
  public List<String> list(String key) {
    String value = values.getOrDefault(key, "");
    return value.isEmpty() ? List.of() : Arrays.asList(value.split(" "));
  }

  /** The services, in start order. */
  public List<String> services() {
    return list("services");
  }

  /** {@code <name>.port}, such as {@code test-portal}'s. */
  public int port(String name) {
    return Integer.parseInt(get(name + ".port"));
  }

  /** The other services a service calls: variable and {@code service} or {@code service/path}. */
  public List<Entry> urls(String service) {
    return entries(service + ".urls");
  }

  /** The URLs a service shows users, in the same form. */
  public List<Entry> publicUrls(String service) {
    return entries(service + ".public-urls");
  }

  /** A service's Keycloak client secret: its variable and the secret's name. */
  public Optional<Entry> clientSecret(String service) {
    return entries(service + ".client-secret").stream().findFirst();
  }

  /** A service's AES-256 key (32 random bytes, base64): its variable and the secret's name. */
  public Optional<Entry> secretKey(String service) {
    return entries(service + ".secret-key").stream().findFirst();
  }

  /**
   * The keys that replaced a service's AES-256 key still accepts (optional: no file, or no key in
   * the chart's Secret, is none): its variable and the secret's name.
   */
  public Optional<Entry> previousSecretKeys(String service) {
    return entries(service + ".previous-secret-keys").stream().findFirst();
  }

  /** The prefix of a service's database variables ({@code _URL}, {@code _USER}, ...), if any. */
  public Optional<String> databaseEnv(String service) {
    return Optional.ofNullable(values.get(service + ".database-env"));
  }

  /**
   * The variable the test run passes a secret to the tests in: {@code SLIPWAY_BUILD_CLIENT_SECRET}
   * becomes {@code SLIPWAY_TEST_BUILD_CLIENT_SECRET}.
   */
  public static String testVariable(String variable) {
    return "SLIPWAY_TEST_" + variable.replaceFirst("^SLIPWAY_", "");
  }

  /** A stack's image as {@code ./slipway} builds it from {@code config/stacks/<stack>}. */
  public String stackImage(String stack) {
    return get("stacks.image-prefix") + "/" + stack + ":" + get("stacks.tag");
  }

  private List<Entry> entries(String key) {
    return list(key).stream()
        .map(
            item -> {
              int colon = item.indexOf(':');
              if (colon < 0) {
                throw new IllegalArgumentException(key + ": not VARIABLE:target: " + item);
              }
              return new Entry(item.substring(0, colon), item.substring(colon + 1));
            })
        .toList();
  }
}
