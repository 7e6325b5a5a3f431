package io.slipway.testing;

import java.util.HashMap;
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

  /** The environment config/platform.env gives tenant-service, on a fresh database. */
  private static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    PlatformWiring.platform()
        .databaseEnv("tenant-service")
        .ifPresent(
            prefix -> {
              environment.put(prefix + "_URL", TestPostgres.newDatabase());
              environment.put(prefix + "_USER", "postgres");
              environment.put(prefix + "_PASSWORD", "postgres");
            });
    environment.put("SLIPWAY_KEYCLOAK_URL", TestKeycloak.url());
    environment.put("SLIPWAY_OIDC_ISSUER", TestKeycloak.issuer());
    return environment;
  }
}
