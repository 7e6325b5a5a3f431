package io.slipway.portal.browser;

import static io.slipway.portal.browser.PortalForms.fresh;
import static io.slipway.portal.browser.PortalForms.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.HttpSession;
import io.slipway.testing.TestKeycloak;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every page and form of the portal at the HTTP level, as signed-in users, against the real
 * tenant-service and Keycloak: what each controller shows and does, and that nobody sees another
 * tenant's data through the portal.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class PortalPagesIT {

  private final String portal = TestKeycloak.portalUrl();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", TestKeycloak::portalPort);
    registry.add("slipway.portal.oidc-issuer", TestKeycloak::issuer);
    registry.add("slipway.portal.client-secret", TestKeycloak::portalClientSecret);
    registry.add("slipway.portal.tenant-api-url", SharedPlatform::tenantUrl);
    // build-service and runtime-bridge are not running here: their parts of a page say so.
    registry.add("slipway.portal.build-api-url", () -> "http://127.0.0.1:1");
    registry.add("slipway.portal.runtime-api-url", () -> "http://127.0.0.1:1");
  }

  @Test
  void membersAreInvitedChangedAndRemovedByTheTenantAdmin() {
    HttpSession admin = signedIn(fresh("owner"));
    String tenant = createTenant(admin);
    String colleague = fresh("colleague");
    TestKeycloak.createUser(colleague);

    HttpResponse<String> added =
        post(
            admin,
            "/t/" + tenant + "/members",
            "/t/" + tenant + "/members",
            Map.of("username", colleague, "role", "viewer"));
    assertThat(added.body()).contains(colleague + " is now viewer.");
    HttpResponse<String> changed =
        post(
            admin,
            "/t/" + tenant + "/members",
            "/t/" + tenant + "/members",
            Map.of("username", colleague, "role", "developer"));
    assertThat(changed.body()).contains(colleague + " is now developer.");
    HttpResponse<String> lastAdmin =
        post(
            admin,
            "/t/" + tenant + "/members",
            "/t/" + tenant + "/members/" + name(admin) + "/remove",
            Map.of());
    assertThat(lastAdmin.body()).contains("must keep at least one tenant-admin");
    HttpResponse<String> removed =
        post(
            admin,
            "/t/" + tenant + "/members",
            "/t/" + tenant + "/members/" + colleague + "/remove",
            Map.of());
    assertThat(removed.body())
        .contains(colleague + " was removed.")
        .doesNotContain("<td>" + colleague);
  }

  @Test
  void projectsAndAppsAreCreatedAndDeletedWithTheirPages() {
    HttpSession user = signedIn(fresh("dev"));
    String tenant = createTenant(user);
    HttpResponse<String> project =
        post(user, "/t/" + tenant, "/t/" + tenant + "/projects", Map.of("name", "web"));
    assertThat(project.uri().getPath()).isEqualTo("/t/" + tenant + "/p/web");
    assertThat(project.body()).contains("Project web created.", "No apps yet", "Quota in force");

    HttpResponse<String> image =
        post(
            user,
            "/t/" + tenant + "/p/web",
            "/t/" + tenant + "/p/web/apps",
            Map.of("name", "cache", "source", "image", "sourceRef", "localhost/cache:1"));
    assertThat(image.body())
        .contains("App cache was created, but localhost/cache:1 was not deployed")
        .doesNotContain("App cache created.")
        .contains("runtime-bridge cannot be reached right now")
        .doesNotContain("git push", "Builds</h2>");
    HttpResponse<String> external =
        post(
            user,
            "/t/" + tenant + "/p/web",
            "/t/" + tenant + "/p/web/apps",
            Map.of(
                "name", "ext", "source", "external-git", "sourceRef", "https://git.example/x.git"));
    // the webhook's URL and secret come from build-service, which is down here: said so in place
    assertThat(external.body())
        .contains("App ext created.", "https://git.example/x.git")
        .contains("build-service cannot be reached right now");
    HttpResponse<String> listed = user.follow(user.get(portal + "/t/" + tenant + "/p/web"));
    assertThat(listed.body()).contains("cache", "image");

    // deleting stops the app in runtime-bridge first; while it cannot be reached nothing is
    // deleted (no container may be left running without its catalog entry)
    HttpResponse<String> kept =
        post(
            user,
            "/t/" + tenant + "/p/web/a/cache",
            "/t/" + tenant + "/p/web/a/cache/delete",
            Map.of("confirm", "cache"));
    assertThat(kept.uri().getPath()).isEqualTo("/t/" + tenant + "/p/web/a/cache");
    assertThat(kept.body())
        .contains("The app was not deleted: runtime-bridge cannot be reached right now");
    HttpResponse<String> unconfirmed =
        post(
            user,
            "/t/" + tenant + "/p/web/a/cache",
            "/t/" + tenant + "/p/web/a/cache/delete",
            Map.of("confirm", "cach"));
    assertThat(unconfirmed.body()).contains("Type the app&#39;s name, cache, to confirm");

    HttpResponse<String> tenantPage = user.follow(user.get(portal + "/t/" + tenant));
    assertThat(tenantPage.body())
        .contains("Usage against quota", "usage-data", "/t/" + tenant + "/p/web");
  }

  @Test
  void tokensAreShownOnceAndRevoked() {
    HttpSession user = signedIn(fresh("tok"));
    HttpResponse<String> created =
        post(
            user,
            "/tokens",
            "/tokens",
            Map.of("name", "laptop", "scopes", "git", "expiresInDays", "7"));
    Matcher secret = Pattern.compile("slp_[A-Za-z0-9]{40}").matcher(created.body());
    assertThat(secret.find()).as("the secret is shown after creation").isTrue();
    HttpResponse<String> again = user.follow(user.get(portal + "/tokens"));
    assertThat(again.body()).contains("laptop", "active").doesNotContain(secret.group());
    Matcher revoke = Pattern.compile("action=\"(/tokens/[0-9]+/revoke)\"").matcher(again.body());
    assertThat(revoke.find()).isTrue();
    HttpResponse<String> revoked = post(user, "/tokens", revoke.group(1), Map.of());
    assertThat(revoked.body()).contains("Token revoked", "revoked");
  }

  @Test
  void anotherTenantIsNotFoundThroughThePortalAndAdminPagesAreRefused() {
    HttpSession owner = signedIn(fresh("owner"));
    String tenant = createTenant(owner);
    post(owner, "/t/" + tenant, "/t/" + tenant + "/projects", Map.of("name", "secret-project"));

    HttpSession stranger = signedIn(fresh("stranger"));
    for (String page :
        new String[] {
          "/t/" + tenant, "/t/" + tenant + "/members", "/t/" + tenant + "/p/secret-project"
        }) {
      HttpResponse<String> response = stranger.follow(stranger.get(portal + page));
      assertThat(response.statusCode()).as(page).isEqualTo(404);
      assertThat(response.body())
          .contains("tenant &#39;" + tenant + "&#39; was not found")
          .doesNotContain("secret-project\"", "Usage against quota");
    }
    HttpResponse<String> badName = stranger.follow(stranger.get(portal + "/t/Not_A_Name"));
    assertThat(badName.statusCode()).isEqualTo(404);
    HttpResponse<String> admin = stranger.follow(stranger.get(portal + "/admin"));
    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(admin.body()).contains("Not allowed").doesNotContain("All tenants");
    HttpResponse<String> forged =
        stranger.postForm(portal + "/t/" + tenant + "/projects", Map.of("name", "x"));
    assertThat(forged.statusCode()).as("a form post without CSRF token").isEqualTo(403);
  }

  private HttpSession signedIn(String username) {
    HttpSession session = PortalForms.signedIn(username);
    names.put(session, username);
    return session;
  }

  private final Map<HttpSession, String> names = new HashMap<>();

  private String name(HttpSession session) {
    return names.get(session);
  }

  private String createTenant(HttpSession session) {
    String tenant = fresh("t");
    HttpResponse<String> page = post(session, "/", "/tenants", Map.of("name", tenant));
    assertThat(page.uri().getPath()).isEqualTo("/t/" + tenant);
    return tenant;
  }
}
