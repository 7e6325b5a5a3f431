package io.slipway.testing;

import java.util.List;
import java.util.Map;

/**
 * The real tenant-service for other modules' tests: its executable jar run as its own JVM (as
 * {@code ./slipway up} runs it), on a free loopback port, on a database of its own in the test
 * PostgreSQL, trusting the test run's Keycloak. Started once per test JVM on first use and stopped
 * when the JVM ends. Tests reach it over HTTP only and never load its classes (each module's {@code
 * BoundariesTest} checks that); the module's pom depends on tenant-service as a {@code pom} so that
 * the reactor packages its jar first.
 */
public final class TestTenantService {

  private static ServiceProcess process;

  private TestTenantService() {}

  /** Its base URL, e.g. {@code http://127.0.0.1:41234}, starting it on the first call. */
  public static synchronized String url() {
    if (process == null) {
      process = ServiceProcess.start("tenant-service", environment(), List.of());
    }
    return process.url();
  }

  /** What config/platform.env gives tenant-service, as {@link TestPlatform} wires it. */
  private static Map<String, String> environment() {
    return TestPlatform.common(
        TestPlatform.wiring(
            "tenant-service", Map.of("tenant-service", TestPostgres.newDatabase()), Map.of()));
  }
}
