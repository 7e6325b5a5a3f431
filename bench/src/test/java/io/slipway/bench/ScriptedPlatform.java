package io.slipway.bench;

import io.slipway.testing.Router;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform {@code ./slipway up} starts, on ports, names and state directories of its own: free
 * ports for every service, PostgreSQL, Keycloak and the router, and a name prefix for its
 * containers, networks, images and firewall table, so that it never meets a developer's platform or
 * another test's.
 */
final class ScriptedPlatform {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

  /** What a run of {@code ./slipway} ended with, and what it printed. */
  record Script(int exit, String output) {}

  private final String prefix;
  private final Path logs;
  private final Map<String, String> env = new HashMap<>();

  /** Chooses the ports now; {@code logs} is where each script run's output is kept. */
  ScriptedPlatform(String prefix, Path logs) throws IOException {
    this.prefix = prefix;
    this.logs = logs;
    for (String variable :
        List.of(
            "SLIPWAY_TENANT_PORT",
            "SLIPWAY_BUILD_PORT",
            "SLIPWAY_RUNTIME_PORT",
            "SLIPWAY_PORTAL_PORT",
            "SLIPWAY_PG_PORT",
            "SLIPWAY_KEYCLOAK_PORT",
            "SLIPWAY_KEYCLOAK_MANAGEMENT_PORT",
            "SLIPWAY_APPS_PORT")) {
      env.put(variable, String.valueOf(freePort()));
    }
    env.put("SLIPWAY_RUNTIME_PODMAN_NAME_PREFIX", prefix);
    env.put("SLIPWAY_RUNTIME_PODMAN_FIREWALL_TABLE", TestPlatform.firewallTable(prefix));
    env.put("SLIPWAY_BUILD_IMAGE_PREFIX", imagePrefix());
    env.put("SLIPWAY_RUNTIME_ADMISSION_BUILD_IMAGE_PREFIX", imagePrefix());
    // the stacks every up copies for the build sandboxes, copied once a JVM: a cache of the host's
    // images that no backup holds, which a fresh machine's up copies from its own images
    env.put("SLIPWAY_BUILD_SANDBOX_PLATFORM_DIR", TestPlatform.platformStore().toString());
  }

  /** Another setting of the services' environment, for the next {@code up}. */
  ScriptedPlatform with(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  /** What the platform's builds are named under: {@code localhost/<prefix>images}. */
  String imagePrefix() {
    return "localhost/" + prefix + "images";
  }

  /** A service's base URL, by the variable that holds its port. */
  String url(String portVariable) {
    return "http://127.0.0.1:" + env.get(portVariable);
  }

  /** The apps' router. */
  Router router() {
    return new Router(Integer.parseInt(env.get("SLIPWAY_APPS_PORT")));
  }

  /** A token of the demo user {@code alice}, from the Keycloak of the platform in {@code state}. */
  String aliceToken(Path state) {
    return token(state, "alice");
  }

  /** A token of the realm's platform admin {@code admin} (the demo password too). */
  String adminToken(Path state) {
    return token(state, "admin");
  }

  private String token(Path state, String user) {
    try {
      return TestKeycloak.userToken(
          url("SLIPWAY_KEYCLOAK_PORT") + "/realms/" + TestKeycloak.REALM,
          url("SLIPWAY_PORTAL_PORT"),
          Files.readString(state.resolve("secrets/portal-client-secret")).strip(),
          user,
          Files.readString(state.resolve("secrets/demo-password")).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ./slipway <arguments>} with its state in {@code state}, its output kept in the log. */
  Script slipway(Path state, String... arguments) {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("slipway").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().putAll(env);
    builder.environment().put("SLIPWAY_STATE", state.toString());
    builder.redirectErrorStream(true);
    try {
      Path log = Files.createTempFile(logs, "slipway-" + arguments[0] + "-", ".log");
      Process process = builder.redirectOutput(log.toFile()).start();
      if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("./slipway " + String.join(" ", arguments) + " did not end");
      }
      String output = Files.readString(log);
      System.out.println("./slipway " + String.join(" ", arguments) + ":\n" + output);
      return new Script(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the platform of each state directory that exists and removes its warm builders, then
   * every container, network, image and firewall table named with the prefix.
   */
  void remove(Path... states) {
    for (Path state : states) {
      if (state != null && Files.isDirectory(state)) {
        slipway(state, "down");
        TestPlatform.removeWarmBuilders(state.resolve("build/repos"));
      }
    }
    TestPlatform.removeEverythingNamed(prefix);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
