package io.slipway.portal.browser;

import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real platform the portal's integration tests run against ({@link TestPlatform}:
 * tenant-service, build-service and runtime-bridge from their jars, Caddy, the test run's
 * Keycloak), started once per test JVM on first use and stopped when the JVM exits, with every
 * container, network and image it made ({@value #PREFIX}...) removed.
 */
final class SharedPlatform {

  static final String PREFIX = "slwportal-";
  private static TestPlatform platform;

  private SharedPlatform() {}

  static synchronized TestPlatform get() {
    if (platform == null) {
      try {
        // what a run killed before its end left behind
        TestPlatform.removeEverythingNamed(PREFIX);
        Path work = Files.createTempDirectory("slipway-portal-it");
        platform = TestPlatform.start(PREFIX, work);
      } catch (Exception e) {
        throw new IllegalStateException("the platform did not start: " + e.getMessage(), e);
      }
      TestPlatform started = platform;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    TestPlatform.removeEverythingNamed(PREFIX);
                  }));
    }
    return platform;
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
