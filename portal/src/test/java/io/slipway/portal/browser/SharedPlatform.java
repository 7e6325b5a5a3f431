package io.slipway.portal.browser;

import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real platform the portal's integration tests run against ({@link TestPlatform}:
 * tenant-service, build-service and runtime-bridge from their jars, Caddy, the test run's
 * Keycloak), started once per test JVM on first use and stopped when the tests are done ({@link
 * PlatformStopper}, at the end of the test run, before Failsafe's fork exits), with every
 * container, network, image and firewall table it made ({@value #PREFIX}...) removed. A JVM
 * shutdown hook does the same should the run end otherwise; it may be cut short (Failsafe halts a
 * fork that has not exited 30 s after its tests), so it is not what the tests count on.
 *
 * <p>The processes it started are written to {@link #OWNED} with the JVM that owns them: a run
 * killed outright leaves its services and its Caddy running and its apps' containers up, and the
 * next run stops those processes and removes what has the prefix before it starts its own. A run
 * whose owner still lives is another test run of the portal on this machine: this one refuses to
 * start rather than remove what that one runs.
 */
final class SharedPlatform {

  static final String PREFIX = "slwportal-";

  /** The processes of this prefix's platform: its owner's first, then Caddy's and the services'. */
  static final Path OWNED = Path.of(System.getProperty("java.io.tmpdir"), PREFIX + "platform.pids");

  private static TestPlatform platform;
  private static Path work;
  private static boolean hooked;

  private SharedPlatform() {}

  static synchronized TestPlatform get() {
    if (platform == null) {
      try {
        clearStale();
        work = Files.createTempDirectory("slipway-portal-it");
        platform = TestPlatform.start(PREFIX, work);
        own(platform);
      } catch (Exception e) {
        throw new IllegalStateException("the platform did not start: " + e.getMessage(), e);
      }
      if (!hooked) {
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(SharedPlatform::stop));
      }
    }
    return platform;
  }

  /**
   * Stops the platform this JVM started, if any: its services and Caddy, then everything its
   * tenants ran (containers, networks, images, the firewall table). Idempotent.
   */
  static synchronized void stop() {
    if (platform == null) {
      return;
    }
    TestPlatform started = platform;
    platform = null;
    try {
      started.close();
    } finally {
      TestPlatform.removeEverythingNamed(PREFIX);
      TestPlatform.deleteWork(work);
      try {
        Files.deleteIfExists(OWNED);
      } catch (IOException e) {
        // the next run finds its owner gone and the processes with it: nothing to stop
      }
    }
  }

  /** Writes this JVM and the platform's processes to {@link #OWNED}. */
  private static void own(TestPlatform started) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(line(ProcessHandle.current()));
    for (long pid :
        List.of(
            started.caddy().pid(),
            started.tenant().pid(),
            started.build().pid(),
            started.runtime().pid())) {
      ProcessHandle.of(pid).ifPresent(process -> lines.add(line(process)));
    }
    Files.write(OWNED, lines);
  }

  /** A process as {@link #OWNED} keeps it: its pid and start, so a reused pid is not mistaken. */
  private static String line(ProcessHandle process) {
    return process.pid()
        + " "
        + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * What a run killed before its end left: its processes (when its owner is gone) and everything
   * named with the prefix.
   */
  private static void clearStale() throws IOException {
    if (Files.exists(OWNED)) {
      List<String> lines = Files.readAllLines(OWNED);
      Optional<ProcessHandle> owner = lines.isEmpty() ? Optional.empty() : alive(lines.get(0));
      if (owner.isPresent()) {
        throw new IllegalStateException(
            "another test run (pid "
                + owner.get().pid()
                + ") runs the portal's platform ("
                + PREFIX
                + "); wait for it to end, or stop it");
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        alive(line).ifPresent(SharedPlatform::end);
      }
      Files.delete(OWNED);
    }
    TestPlatform.removeEverythingNamed(PREFIX);
  }

  /** The process {@code line} names, when it still runs (the same process, not a reused pid). */
  private static Optional<ProcessHandle> alive(String line) {
    String[] fields = line.strip().split(" ");
    if (fields.length != 2) {
      return Optional.empty();
    }
    long started = Long.parseLong(fields[1]);
    return ProcessHandle.of(Long.parseLong(fields[0]))
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started);
  }

  private static void end(ProcessHandle process) {
    process.destroy();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  /**
   * The portal on Keycloak's portal port, signing in through the test realm and calling this
   * platform's services.
   */
  static void portalProperties(DynamicPropertyRegistry registry) {
    registry.add("server.port", TestKeycloak::portalPort);
    registry.add("slipway.portal.oidc-issuer", TestKeycloak::issuer);
    registry.add("slipway.portal.client-secret", TestKeycloak::portalClientSecret);
    registry.add("slipway.portal.tenant-api-url", SharedPlatform::tenantUrl);
    registry.add("slipway.portal.build-api-url", SharedPlatform::buildUrl);
    registry.add("slipway.portal.runtime-api-url", SharedPlatform::runtimeUrl);
    registry.add("slipway.portal.git-url", SharedPlatform::gitUrl);
  }

  static String tenantUrl() {
    return get().tenant().url();
  }

  static String buildUrl() {
    return get().build().url();
  }

  static String runtimeUrl() {
    return get().runtime().url();
  }

  static String gitUrl() {
    return get().gitUrl();
  }
}
