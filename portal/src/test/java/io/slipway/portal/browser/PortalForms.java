package io.slipway.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.HttpSession;
import io.slipway.testing.TestKeycloak;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The portal over plain HTTP, as the integration tests without a browser drive it: a user signed in
 * through Keycloak's pages, and forms posted with the CSRF token of the page they are on.
 */
final class PortalForms {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern TOKEN = Pattern.compile("id=\"new-token\">(slp_[^<]+)<");

  private PortalForms() {}

  /** A new Keycloak user {@code username}, signed in to the portal. */
  static HttpSession signedIn(String username) {
    String portal = TestKeycloak.portalUrl();
    String password = TestKeycloak.createUser(username);
    HttpSession session = new HttpSession();
    HttpResponse<String> login =
        session.follow(session.get(portal + "/oauth2/authorization/keycloak"));
    HttpResponse<String> home =
        session.follow(TestKeycloak.signIn(session, login, username, password));
    assertThat(home.body()).contains(username);
    return session;
  }

  /** Posts a form found on {@code page}, with that page's CSRF token; follows to the result. */
  static HttpResponse<String> post(
      HttpSession session, String page, String action, Map<String, String> fields) {
    String portal = TestKeycloak.portalUrl();
    HttpResponse<String> form = session.follow(session.get(portal + page));
    Map<String, String> body = new HashMap<>(fields);
    body.put("_csrf", csrf(form.body()));
    return session.follow(session.postForm(portal + action, body));
  }

  /** The CSRF token of the forms on {@code page}. */
  static String csrf(String page) {
    Matcher csrf = CSRF.matcher(page);
    assertThat(csrf.find()).as("a CSRF token").isTrue();
    return csrf.group(1);
  }

  /** A new personal access token of the session's user with scope {@code git}, as shown once. */
  static String gitToken(HttpSession session) {
    HttpResponse<String> created =
        post(
            session,
            "/tokens",
            "/tokens",
            Map.of("name", "laptop", "scopes", "git", "expiresInDays", "1"));
    Matcher token = TOKEN.matcher(created.body());
    assertThat(token.find()).as("the new token on the page").isTrue();
    return token.group(1);
  }

  /** Where {@code user} pushes app {@code app} of project {@code web}, with the token inside. */
  static String gitRemote(String user, String token, String tenant, String app) {
    return SharedPlatform.gitUrl().replaceFirst("://", "://" + user + ":" + token + "@")
        + "/"
        + tenant
        + "/web/"
        + app
        + ".git";
  }

  /** A name no other test run uses. */
  static String fresh(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
