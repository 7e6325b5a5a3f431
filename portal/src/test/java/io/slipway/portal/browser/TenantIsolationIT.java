package io.slipway.portal.browser;

import static io.slipway.portal.browser.PortalForms.csrf;
import static io.slipway.portal.browser.PortalForms.fresh;
import static io.slipway.portal.browser.PortalForms.post;
import static io.slipway.portal.browser.PortalForms.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.HttpSession;
import io.slipway.testing.TestKeycloak;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal never reaches another tenant's data: a member of tenant A asking for any page, stream
 * or form of tenant B's app gets 404 (what the real services answer to A's own token), and nothing
 * of B is shown or changed. Had the portal called a service with anything but the signed-in user's
 * token (B's, or a service's), A would have seen or changed B's app.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class TenantIsolationIT {

  private final String portal = TestKeycloak.portalUrl();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    SharedPlatform.portalProperties(registry);
  }

  @Test
  void aMemberOfAnotherTenantGetsNotFoundEverywhereAndChangesNothing() {
    String owner = fresh("owner");
    HttpSession b = signedIn(owner);
    String tenantB = fresh("b");
    post(b, "/", "/tenants", Map.of("name", tenantB));
    post(b, "/t/" + tenantB, "/t/" + tenantB + "/projects", Map.of("name", "web"));
    post(b, "/t/" + tenantB + "/p/web", "/t/" + tenantB + "/p/web/apps", Map.of("name", "api"));
    String app = "/t/" + tenantB + "/p/web/a/api";
    String csrfB = csrf(b.follow(b.get(portal + app)).body());
    HttpResponse<String> set =
        b.follow(
            b.postForm(
                portal + app + "/env", Map.of("name", "OWNER", "value", "b", "_csrf", csrfB)));
    assertThat(set.body()).contains("OWNER set.");

    String stranger = fresh("stranger");
    HttpSession a = signedIn(stranger);
    String tenantA = fresh("a");
    HttpResponse<String> own = post(a, "/", "/tenants", Map.of("name", tenantA));
    String csrf = csrf(own.body());

    for (String page :
        List.of(
            app,
            app + "/builds/1",
            app + "/builds/1/log.txt",
            app + "/logs.txt",
            "/t/" + tenantB + "/p/web",
            "/t/" + tenantB + "/members")) {
      HttpResponse<String> response = a.follow(a.get(portal + page));
      assertThat(response.statusCode()).as(page).isEqualTo(404);
      assertThat(response.body()).as(page).doesNotContain("OWNER", "api.apps");
    }
    for (String stream : List.of(app + "/builds/2/log", app + "/logs")) {
      HttpResponse<String> events = a.get(portal + stream);
      assertThat(events.body())
          .as(stream)
          .startsWith("event: problem\ndata: ")
          .doesNotContain("OWNER");
    }
    for (String[] form :
        new String[][] {
          {"/env", "name", "PWNED"},
          {"/secrets", "name", "PWNED"},
          {"/domains", "domain", "pwned.example.com"},
          {"/stop", "x", "y"},
          {"/builds/2/cancel", "x", "y"},
          {"/delete", "confirm", "api"}
        }) {
      Map<String, String> fields = new HashMap<>(Map.of(form[1], form[2], "_csrf", csrf));
      fields.putIfAbsent("value", "v");
      HttpResponse<String> response = a.follow(a.postForm(portal + app + form[0], fields));
      assertThat(response.statusCode()).as(form[0]).isEqualTo(404);
    }

    // B's app is untouched: still there, its one variable, no domain
    HttpResponse<String> still = b.follow(b.get(portal + app));
    assertThat(still.statusCode()).isEqualTo(200);
    assertThat(still.body())
        .contains("OWNER", "No domains of your own")
        .doesNotContain("PWNED", "pwned.example.com");
  }
}
