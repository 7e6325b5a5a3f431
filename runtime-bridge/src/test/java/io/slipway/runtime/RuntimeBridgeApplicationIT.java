package io.slipway.runtime;

import io.slipway.testing.ResourceServerChecks;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The runtime-bridge starts, reports health, and trusts only valid tokens of the slipway realm. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RuntimeBridgeApplicationIT {

  @LocalServerPort int port;

  @DynamicPropertySource
  static void keycloak(DynamicPropertyRegistry registry) {
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestKeycloak::issuer);
    registry.add("spring.datasource.url", TestPostgres::newDatabase);
    registry.add("slipway.runtime.caddy.admin-url", () -> "http://127.0.0.1:9");
    registry.add(
        "slipway.runtime.secret-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  }

  @Test
  void isGuardedByKeycloak() {
    ResourceServerChecks.assertGuardedByKeycloak("http://127.0.0.1:" + port);
  }
}
