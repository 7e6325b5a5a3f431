package io.slipway.bench;

import io.slipway.testing.ServiceProcess;
import io.slipway.testing.TestCaddy;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform as {@code ./slipway up} runs it, minus the portal: tenant-service,
 * build-service and runtime-bridge from their executable jars, each on its own PostgreSQL database,
 * trusting the test run's Keycloak, with a real Caddy as the apps' router. Containers and images it
 * makes are named {@value #PREFIX}... so that they never meet a developer's running platform.
 */
final class Platform implements AutoCloseable {

  static final String PREFIX = "slwe2e-";
  static final String STATIC_STACK = "localhost/slipway/stacks/static:1";

  final TestCaddy caddy;
  final ServiceProcess tenant;
  final ServiceProcess build;
  final ServiceProcess runtime;

  private Platform(
      TestCaddy caddy, ServiceProcess tenant, ServiceProcess build, ServiceProcess runtime) {
    this.caddy = caddy;
    this.tenant = tenant;
    this.build = build;
    this.runtime = runtime;
  }

  static Platform start(Path work) throws Exception {
    TestCaddy caddy = TestCaddy.start();
    ServiceProcess tenant =
        ServiceProcess.start(
            "tenant-service",
            common(
                Map.of(
                    "SLIPWAY_TENANT_DB_URL", TestPostgres.newDatabase(),
                    "SLIPWAY_TENANT_DB_USER", "postgres",
                    "SLIPWAY_TENANT_DB_PASSWORD", "postgres")),
            List.of());
    // runtime-bridge first: build-service deploys to it once a build succeeds; runtime-bridge
    // trusts the signatures of build-service's keyring and asks it for images' attestations.
    int buildPort = ServiceProcess.freePort();
    ServiceProcess runtime =
        ServiceProcess.start(
            "runtime-bridge",
            common(
                Map.ofEntries(
                    Map.entry(
                        "SLIPWAY_RUNTIME_CLIENT_SECRET",
                        TestKeycloak.serviceClientSecret("runtime-bridge")),
                    Map.entry("SLIPWAY_RUNTIME_DB_URL", TestPostgres.newDatabase()),
                    Map.entry("SLIPWAY_RUNTIME_DB_USER", "postgres"),
                    Map.entry("SLIPWAY_RUNTIME_DB_PASSWORD", "postgres"),
                    Map.entry("SLIPWAY_TENANT_API_URL", tenant.url()),
                    Map.entry("SLIPWAY_CADDY_ADMIN_URL", caddy.admin().toString()),
                    Map.entry("SLIPWAY_CADDY_LISTEN", caddy.listen()),
                    Map.entry("SLIPWAY_RUNTIME_PODMAN_NAME_PREFIX", PREFIX),
                    Map.entry("SLIPWAY_RUNTIME_SECRET_KEY", randomKey()),
                    Map.entry(
                        "SLIPWAY_RUNTIME_ADMISSION_BUILD_API_URL", "http://127.0.0.1:" + buildPort),
                    Map.entry(
                        "SLIPWAY_RUNTIME_ADMISSION_TRUSTED_KEYS_DIR",
                        work.resolve("keys").resolve("trusted").toString()),
                    Map.entry(
                        "SLIPWAY_RUNTIME_ADMISSION_ADVISORIES_DIR",
                        work.resolve("advisories").toString()))),
            List.of());
    Map<String, String> buildEnvironment = new HashMap<>();
    buildEnvironment.putAll(
        Map.of(
            "SLIPWAY_BUILD_CLIENT_SECRET", TestKeycloak.serviceClientSecret("build-service"),
            "SLIPWAY_BUILD_DB_URL", TestPostgres.newDatabase(),
            "SLIPWAY_BUILD_DB_USER", "postgres",
            "SLIPWAY_BUILD_DB_PASSWORD", "postgres",
            "SLIPWAY_BUILD_TENANT_API_URL", tenant.url(),
            "SLIPWAY_BUILD_DATA_DIR", Files.createDirectories(work.resolve("repos")).toString(),
            "SLIPWAY_BUILD_RUNTIME_BRIDGE_URL", runtime.url(),
            "SLIPWAY_BUILD_IMAGE_PREFIX", "localhost/" + PREFIX + "images",
            "SLIPWAY_BUILD_STACKS_STATIC_BASE_IMAGE", STATIC_STACK));
    buildEnvironment.put("SLIPWAY_BUILD_PUBLIC_URL", "http://127.0.0.1:" + buildPort);
    buildEnvironment.put("SLIPWAY_BUILD_GOVERNANCE_KEYS_DIR", work.resolve("keys").toString());
    buildEnvironment.put(
        "SLIPWAY_BUILD_GOVERNANCE_ADVISORIES_DIR", work.resolve("advisories").toString());
    ServiceProcess build =
        ServiceProcess.start("build-service", buildPort, common(buildEnvironment), List.of());
    return new Platform(caddy, tenant, build, runtime);
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  private static Map<String, String> common(Map<String, String> own) {
    Map<String, String> environment = new HashMap<>(own);
    environment.put("SLIPWAY_KEYCLOAK_URL", TestKeycloak.url());
    environment.put("SLIPWAY_OIDC_ISSUER", TestKeycloak.issuer());
    return environment;
  }

  @Override
  public void close() {
    build.close();
    runtime.close();
    tenant.close();
    caddy.close();
  }
}
