package io.slipway.portal.browser;

import static io.slipway.portal.browser.PortalForms.csrf;
import static io.slipway.portal.browser.PortalForms.fresh;
import static io.slipway.portal.browser.PortalForms.gitRemote;
import static io.slipway.portal.browser.PortalForms.gitToken;
import static io.slipway.portal.browser.PortalForms.post;
import static io.slipway.portal.browser.PortalForms.signedIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.testing.GitCli;
import io.slipway.testing.HttpSession;
import io.slipway.testing.Router;
import io.slipway.testing.TestKeycloak;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Previews in the portal against the whole platform ({@link SharedPlatform}): a push to {@code
 * preview/x} with git makes a preview that the app page lists, live, with its URL answering through
 * Caddy; the tenant-admin saves the project's preview settings (a TTL out of range comes back
 * beside its field, kept); in Chromium a developer sees the list and deletes the preview, after
 * which it is gone from the list and its URL answers 404; a member of another tenant gets 404 for
 * the app, the preview's page, the delete and the settings.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class PreviewPagesIT {

  private static final Pattern URL =
      Pattern.compile("data-preview=\"x\"[\\s\\S]*?<a href=\"http://([^:/\"]+)");
  private static final Duration BUILD_AND_DEPLOY = Duration.ofSeconds(120);

  private final String portal = TestKeycloak.portalUrl();
  @TempDir Path work;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    SharedPlatform.portalProperties(registry);
  }

  @Test
  void aPushedPreviewIsListedLiveSetUpByItsAdminAndDeletedToItsTenantAlone() {
    String admin = fresh("admin");
    HttpSession dev = signedIn(admin);
    String token = gitToken(dev);
    String tenant = fresh("v");
    post(dev, "/", "/tenants", Map.of("name", tenant));
    String project = "/t/" + tenant + "/p/web";
    post(dev, "/t/" + tenant, "/t/" + tenant + "/projects", Map.of("name", "web"));
    post(dev, project, project + "/apps", Map.of("name", "site"));
    String app = project + "/a/site";

    assertThat(dev.follow(dev.get(portal + app)).body())
        .contains("id=\"previews-none\"", "git push slipway HEAD:preview/feature-x");

    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(work.resolve("site"), Map.of("index.html", "<h1>preview x</h1>\n"));
    git.ok(repo, "push", gitRemote(admin, token, tenant, "site"), "HEAD:preview/x");

    String listed =
        await()
            .atMost(BUILD_AND_DEPLOY)
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> dev.follow(dev.get(portal + app)).body(),
                b -> b.contains("class=\"badge live\">live</span>"));
    assertThat(listed)
        .contains("href=\"" + project + "/a/x--site\">preview/x</a>")
        .contains("<code>preview/x</code>", "<td>" + admin + "</td>")
        .doesNotContain("class=\"badge fork\"");
    String host = host(listed);
    assertThat(host).isEqualTo("x--site--web--" + tenant + ".apps.localhost");
    Router.Answer served = router().get(host, "/");
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).contains("preview x");
    // its own page is the app page of its app, saying what it previews
    assertThat(dev.follow(dev.get(portal + project + "/a/x--site")).body())
        .contains("Preview <span>x</span> of", "id=\"preview-source\">branch preview/x</dd>");

    // the tenant-admin's settings: a TTL out of range comes back kept, a good one is saved
    String refused = saveSettings(dev, project, "91d");
    assertThat(refused)
        .contains("id=\"preview-ttl-error\">The TTL must be a duration such as 7d, 36h or P7D")
        .contains("value=\"91d\"", "1 preview of 3 allowed");
    assertThat(saveSettings(dev, project, "3d"))
        .contains("Preview settings saved: a preview without a push for 3d is deleted")
        .contains("value=\"3d\"", "<option value=\"replace-oldest\" selected=\"selected\">");

    strangerFindsNothing(project, app);
    deleteInABrowser(dev, tenant, app);

    assertThat(dev.follow(dev.get(portal + app)).body())
        .contains("id=\"previews-none\"")
        .doesNotContain("data-preview=\"x\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> router().get(host, "/").status(), status -> status == 404);
    assertThat(dev.follow(dev.get(portal + project + "/a/x--site")).statusCode()).isEqualTo(404);
  }

  /** A developer of the tenant in Chromium: the preview listed, then deleted from the list. */
  private void deleteInABrowser(HttpSession dev, String tenant, String app) {
    String name = fresh("browser");
    String password = TestKeycloak.createUser(name);
    assertThat(
            post(
                    dev,
                    "/t/" + tenant + "/members",
                    "/t/" + tenant + "/members",
                    Map.of("username", name, "role", "developer"))
                .body())
        .contains(name + " is now developer.");
    try (Browser browser = new Browser()) {
      browser.open(portal + app + "#previews");
      browser.signIn(name, password);
      browser.awaitText("[data-preview='x'] .badge", "live");
      browser.screenshot("app-previews");
      browser.click("[data-preview='x'] summary");
      browser.type("#confirm-x", "x");
      browser.click("[data-preview='x'] button");
      browser.awaitText("p.notice", "Preview x deleted");
    }
  }

  /** A member of another tenant: 404 for every page and form, and nothing changes. */
  private void strangerFindsNothing(String project, String app) {
    HttpSession stranger = signedIn(fresh("stranger"));
    String own = post(stranger, "/", "/tenants", Map.of("name", fresh("s"))).body();
    for (String path : List.of(app, project + "/a/x--site", project)) {
      HttpResponse<String> page = stranger.follow(stranger.get(portal + path));
      assertThat(page.statusCode()).as(path).isEqualTo(404);
      assertThat(page.body()).as(path).doesNotContain("preview/x", "previewTtl");
    }
    Map<String, Map<String, String>> posts =
        Map.of(
            app + "/previews/x/delete", Map.of("confirm", "x"),
            project + "/preview-settings", Map.of("previewTtl", "1h"));
    posts.forEach(
        (action, fields) -> {
          Map<String, String> body = new java.util.HashMap<>(fields);
          body.put("_csrf", csrf(own));
          assertThat(stranger.follow(stranger.postForm(portal + action, body)).statusCode())
              .as(action)
              .isEqualTo(404);
        });
  }

  private String saveSettings(HttpSession dev, String project, String ttl) {
    String page = dev.follow(dev.get(portal + project)).body();
    return dev.follow(
            dev.postForm(
                portal + project + "/preview-settings",
                Map.of("_csrf", csrf(page), "previewTtl", ttl, "previewPolicy", "replace-oldest")))
        .body();
  }

  private static Router router() {
    return new Router(SharedPlatform.get().caddy().httpPort());
  }

  private static String host(String page) {
    Matcher url = URL.matcher(page);
    assertThat(url.find()).as("the preview's URL on the app page").isTrue();
    return url.group(1);
  }
}
