package io.slipway.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.testing.ResourceServerChecks;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
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
    registry.add(
        "slipway.runtime.caddy.admin-socket", () -> "/nonexistent/slipway-caddy/admin.sock");
    registry.add(
        "slipway.runtime.secret-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    // runs no app: its start-up must not rewrite the nftables table of a platform on this host
    registry.add("slipway.runtime.podman.firewall.enabled", () -> "false");
  }

  @Test
  void isGuardedByKeycloak() {
    ResourceServerChecks.assertGuardedByKeycloak("http://127.0.0.1:" + port);
  }

  @Test
  void refusesToStartWithoutAUsableSecretKey() {
    for (String key : new String[] {"", "c2hvcnQ="}) {
      assertThatThrownBy(
              () ->
                  new SpringApplicationBuilder(RuntimeBridgeApplication.class)
                      // arguments, not default properties: application.yaml would win over those
                      .run(
                          "--server.port=0",
                          "--spring.datasource.url=" + TestPostgres.newDatabase(),
                          "--spring.datasource.username=postgres",
                          "--spring.datasource.password=postgres",
                          "--spring.security.oauth2.resourceserver.jwt.issuer-uri="
                              + TestKeycloak.issuer(),
                          "--slipway.runtime.caddy.admin-socket=/nonexistent/slipway-caddy/admin.sock",
                          "--slipway.runtime.podman.firewall.enabled=false",
                          "--slipway.runtime.secret-key=" + key)
                      .close())
          .hasStackTraceContaining("slipway.runtime.secret-key");
    }
  }
}
