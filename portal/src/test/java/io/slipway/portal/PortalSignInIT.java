package io.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.HttpSession;
import io.slipway.testing.TestKeycloak;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in and sign-out through the real Keycloak login page, at the HTTP level: every hop a browser
 * makes, with the cookies it would keep. tenant-service is deliberately not running, so the
 * signed-in pages also show how a service outage reads.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext // frees the fixed port Keycloak redirects to, for the next test class
class PortalSignInIT {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String portal = TestKeycloak.portalUrl();
  private HttpSession browser;
  private String username;
  private String password;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", TestKeycloak::portalPort);
    registry.add("slipway.portal.oidc-issuer", TestKeycloak::issuer);
    registry.add("slipway.portal.client-secret", TestKeycloak::portalClientSecret);
    registry.add("slipway.portal.tenant-api-url", () -> "http://127.0.0.1:1");
  }

  @BeforeEach
  void user() {
    browser = new HttpSession();
    username = "user-" + UUID.randomUUID().toString().substring(0, 8);
    password = TestKeycloak.createUser(username);
  }

  @Test
  void signsInThroughKeycloakWithASecureSessionCookie() {
    HttpResponse<String> loginPage = browser.follow(browser.get(portal + "/tokens"));
    assertThat(loginPage.uri().toString()).startsWith(TestKeycloak.issuer());

    HttpResponse<String> callback = TestKeycloak.signIn(browser, loginPage, username, password);
    URI back = URI.create(HttpSession.location(callback));
    assertThat(back.toString()).startsWith(portal + "/login/oauth2/code/keycloak?");
    assertThat(TestKeycloak.query(back)).containsKeys("code", "state");

    HttpResponse<String> landed = browser.get(back.toString());
    assertThat(HttpSession.setCookies(landed))
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith("slipway_session=")
                    .contains("HttpOnly", "Secure", "SameSite=Lax"));
    HttpResponse<String> page = browser.follow(landed);
    assertThat(page.uri().toString()).startsWith(portal + "/tokens");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(username, "Personal access tokens")
        .contains("tenant-service cannot be reached right now");
  }

  @Test
  void aWrongPasswordStaysOnTheLoginPage() {
    HttpResponse<String> loginPage = browser.follow(browser.get(portal + "/tokens"));
    HttpResponse<String> refused = TestKeycloak.signIn(browser, loginPage, username, "wrong");
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("Invalid username or password");
  }

  @Test
  void signingOutEndsThePortalAndTheKeycloakSession() {
    HttpResponse<String> loginPage = browser.follow(browser.get(portal + "/"));
    loginPage = browser.follow(browser.get(portal + "/oauth2/authorization/keycloak"));
    HttpResponse<String> home =
        browser.follow(TestKeycloak.signIn(browser, loginPage, username, password));
    assertThat(home.body()).contains("Sign out", username);

    HttpResponse<String> forged = browser.postForm(portal + "/logout", Map.of());
    assertThat(forged.statusCode()).as("sign-out without a CSRF token").isEqualTo(403);

    HttpResponse<String> signOut =
        browser.postForm(portal + "/logout", Map.of("_csrf", csrf(home.body())));
    String endSession = HttpSession.location(signOut);
    assertThat(endSession)
        .startsWith(TestKeycloak.issuer() + "/protocol/openid-connect/logout?")
        .contains("id_token_hint=", "post_logout_redirect_uri=");
    HttpResponse<String> welcome = browser.follow(signOut);
    assertThat(welcome.uri().toString()).isEqualTo(portal + "/");
    assertThat(welcome.body()).contains("Push code. Get a URL.");

    // Keycloak's session is gone too: the next protected page asks for the password again.
    HttpResponse<String> again = browser.follow(browser.get(portal + "/tokens"));
    assertThat(again.uri().toString()).startsWith(TestKeycloak.issuer());
    assertThat(again.body()).contains("kc-form-login");
  }

  private static String csrf(String page) {
    Matcher matcher = CSRF.matcher(page);
    assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
    return matcher.group(1);
  }
}
