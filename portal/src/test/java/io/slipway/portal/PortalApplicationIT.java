package io.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.HttpSession;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The portal starts without Keycloak running, answers health, and serves its public pages. */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "slipway.portal.client-secret=not-used-here",
      "slipway.portal.oidc-issuer=http://127.0.0.1:1/realms/slipway",
      "slipway.portal.apps-domain=apps.example.test"
    })
class PortalApplicationIT {

  @LocalServerPort int port;

  private HttpSession browser;
  private String base;

  @BeforeEach
  void session() {
    browser = new HttpSession();
    base = "http://127.0.0.1:" + port;
  }

  @Test
  void startsAndAnswersHealth() {
    HttpResponse<String> health = browser.get(base + "/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void servesTheWelcomePageWithTheFrontendStyles() {
    HttpResponse<String> page = browser.get(base + "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Push code. Get a URL.", "/assets/slipway.css", "Sign in");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    HttpResponse<String> css = browser.get(base + "/assets/slipway.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
  }

  @Test
  void pagesThatNeedAUserSendTheBrowserToKeycloakWithPkce() {
    HttpResponse<String> tokens = browser.get(base + "/tokens");
    assertThat(tokens.statusCode()).isEqualTo(302);
    assertThat(HttpSession.location(tokens)).isEqualTo(base + "/oauth2/authorization/keycloak");
    String authorize = HttpSession.location(browser.get(HttpSession.location(tokens)));
    assertThat(authorize)
        .startsWith("http://127.0.0.1:1/realms/slipway/protocol/openid-connect/auth?")
        .contains("client_id=portal", "code_challenge=", "code_challenge_method=S256");
  }

  @Test
  void aHostUnderTheAppsDomainThatNoAppClaimsGetsANoAppPage() throws Exception {
    // A raw request: the JDK's HTTP client may not set the Host header.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write(
              ("GET /tokens HTTP/1.1\r\nHost: shop--web--acme.apps.example.test\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(response)
          .startsWith("HTTP/1.1 404")
          .contains("No app answers at shop--web--acme.apps.example.test")
          .doesNotContain("Set-Cookie", "Location");
    }
  }

  @Test
  void unknownPagesGetAFinishedErrorPageNotAWhiteLabel() {
    HttpResponse<String> missing = browser.get(base + "/assets/nope.css");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .contains("Not found", "There is nothing at this address")
        .doesNotContain("Whitelabel");
  }
}
