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
import java.util.function.Predicate;
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
 * A function's Function block and its activation pages against the whole platform ({@link
 * SharedPlatform}): a {@code handler.js} pushed with git is built on the function-node stack and
 * invoked through Caddy for real; the app page shows its runtime, URL and time limit, whose form
 * takes a new limit and shows runtime-bridge's refusal of a bad one beside the field; the
 * activations page lists each invocation (success, error, and a timeout once the limit is 1 s) page
 * by page, and each activation's page shows its logs escaped; a viewer reads all of it without the
 * form (a forged post is refused in plain words); a member of another tenant gets 404 for every
 * page and the form; an app that is not a function says so.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class FunctionPagesIT {

  private static final Pattern URL = Pattern.compile("id=\"function-url\">http://([^:/<]+)");
  private static final Pattern ACTIVATION = Pattern.compile("data-activation=\"(ac[a-z2-7]{26})\"");
  private static final Pattern OLDER = Pattern.compile("id=\"older\" href=\"([^\"]+)\"");
  private static final Duration BUILD_AND_DEPLOY = Duration.ofSeconds(240);

  /**
   * Greets {@code ?name=} (logging a line with markup, which the pages must escape), throws with
   * {@code ?fail=1}, and with {@code ?sleep=1} runs 3 s, past a 1 s time limit.
   */
  private static final String HANDLER =
      """
      module.exports = async (event) => {
        const q = event.query || {};
        if (q.fail) { throw new TypeError('no cheese <b>'); }
        if (q.sleep) { const end = Date.now() + 3000; while (Date.now() < end) {} }
        const name = q.name || 'world';
        console.log('<script>greeting ' + name + '</script>');
        return { greeting: 'Hello, ' + name };
      };
      """;

  private final String portal = TestKeycloak.portalUrl();
  @TempDir Path work;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    SharedPlatform.portalProperties(registry);
  }

  @Test
  void aFunctionShowsItsSettingAndActivationsToItsTenantAlone() {
    String developer = fresh("dev");
    HttpSession dev = signedIn(developer);
    String token = gitToken(dev);
    String tenant = fresh("f");
    post(dev, "/", "/tenants", Map.of("name", tenant));
    post(dev, "/t/" + tenant, "/t/" + tenant + "/projects", Map.of("name", "web"));
    post(dev, "/t/" + tenant + "/p/web", "/t/" + tenant + "/p/web/apps", Map.of("name", "fn"));
    String app = "/t/" + tenant + "/p/web/a/fn";

    // nothing live yet: not a function, and its activations page says so with a way back
    assertThat(dev.follow(dev.get(portal + app)).body()).doesNotContain("id=\"function\"");
    HttpResponse<String> notYet = dev.follow(dev.get(portal + app + "/activations"));
    assertThat(notYet.statusCode()).isEqualTo(200);
    assertThat(notYet.body())
        .contains("id=\"not-a-function\"", "fn</span> is not a function")
        .contains("href=\"" + app + "\">Back to the app</a>");

    push(developer, token, tenant);
    String page =
        await()
            .atMost(BUILD_AND_DEPLOY)
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> dev.follow(dev.get(portal + app)).body(),
                b -> b.contains("id=\"function-runtime\">node</dd>"));
    assertThat(page)
        .contains("href=\"#function\">Function</a>")
        .contains("id=\"function-timeout\">60 s per invocation</dd>")
        .contains("action=\"" + app + "/function\"", "max=\"300\"")
        .contains("href=\"" + app + "/activations\"");
    String host = host(page);
    assertThat(host).isEqualTo("fn--web--" + tenant + ".apps.localhost");

    // the empty state tells how to invoke it, at its URL
    String empty = dev.follow(dev.get(portal + app + "/activations")).body();
    assertThat(empty)
        .contains("No activations yet", "id=\"invoke-command\">curl -i http://" + host)
        .doesNotContain("data-activation=");

    Router.Answer ada = invoke(host, "/?name=ada");
    assertThat(ada.status()).isEqualTo(200);
    assertThat(ada.body()).contains("Hello, ada");
    Router.Answer failed = invoke(host, "/?fail=1");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.body()).contains("no cheese");
    String listed = awaitActivations(dev, app, b -> ids(b).size() == 2);
    List<String> ids = ids(listed);
    assertThat(ids).hasSize(2);
    // newest first: the error, then the greeting, each with its own badge
    assertThat(listed)
        .containsPattern(
            "data-activation=\""
                + ids.get(0)
                + "\">[\\s\\S]*?class=\"badge failed\">error</span>\\s*"
                + "<span class=\"muted\">HTTP 502</span>")
        .containsPattern(
            "data-activation=\""
                + ids.get(1)
                + "\">[\\s\\S]*?class=\"badge succeeded\">success</span>"
                + "[\\s\\S]*?<td>http</td>\\s*<td>25 B</td>")
        .doesNotContain("id=\"older\"", "id=\"newest\"");

    // one activation's page: its logs escaped in a <pre>, its status, duration and result size
    HttpResponse<String> greeting =
        dev.follow(dev.get(portal + app + "/activations/" + ids.get(1)));
    assertThat(greeting.statusCode()).isEqualTo(200);
    assertThat(greeting.body())
        .contains("id=\"activation-status\">success</span>")
        .contains("id=\"activation-result-size\">25 B</dd>", "id=\"activation-http\">HTTP 200</dd>")
        .containsPattern("id=\"activation-duration\">[0-9.]+ m?s</dd>")
        .contains("tabindex=\"0\">&lt;script&gt;greeting ada&lt;/script&gt;</pre>")
        .doesNotContain("<script>greeting");
    assertThat(dev.follow(dev.get(portal + app + "/activations/" + ids.get(0))).body())
        .contains("id=\"activation-status\">error</span>")
        .contains("TypeError: no cheese &lt;b&gt;");

    // a page holds the newest 25; Older leads on, Newest back
    for (int i = 0; i < 25; i++) {
      assertThat(invoke(host, "/?name=n" + i).status()).isEqualTo(200);
    }
    // once the 25 are written, the first two are on the next page
    String full = awaitActivations(dev, app, b -> !b.contains(ids.get(0) + "\""));
    assertThat(ids(full)).hasSize(25).doesNotContain(ids.get(0), ids.get(1));
    Matcher older = OLDER.matcher(full);
    assertThat(older.find()).as("an Older link").isTrue();
    String second = dev.follow(dev.get(portal + older.group(1).replace("&amp;", "&"))).body();
    assertThat(ids(second)).containsExactly(ids.get(0), ids.get(1));
    assertThat(second).contains("id=\"newest\" href=\"" + app + "/activations\"");
    // Errors: the one failed invocation alone, through runtime-bridge's status filter
    String errors = dev.follow(dev.get(portal + app + "/activations?status=error")).body();
    assertThat(ids(errors)).containsExactly(ids.get(0));
    assertThat(errors).contains("aria-current=\"page\">Errors</a>").doesNotContain("id=\"older\"");

    // the time limit: a refused value comes back beside the field, kept; a good one is saved
    assertThat(setTimeout(dev, app, "301"))
        .contains(
            "id=\"function-error\">The time limit was not changed: it must be from 1 to 300"
                + " seconds, not 301.</p>")
        .contains("value=\"301\"", "id=\"function-timeout\">60 s per invocation</dd>");
    assertThat(setTimeout(dev, app, "soon"))
        .contains("The time limit is a whole number of seconds, such as 30.");
    assertThat(setTimeout(dev, app, "1"))
        .contains("Each invocation may now run for 1 s; a longer one times out.")
        .contains("id=\"function-timeout\">1 s per invocation</dd>")
        .doesNotContain("id=\"function-error\"");

    // a viewer reads the block and the activations, has no form, and a forged post is refused
    String viewerName = fresh("viewer");
    HttpSession viewer = signedIn(viewerName);
    assertThat(
            post(
                    dev,
                    "/t/" + tenant + "/members",
                    "/t/" + tenant + "/members",
                    Map.of("username", viewerName, "role", "viewer"))
                .body())
        .contains(viewerName + " is now viewer.");
    String seen = viewer.follow(viewer.get(portal + app)).body();
    assertThat(seen)
        .contains("id=\"function-runtime\">node</dd>", "id=\"function-timeout\">1 s per invocation")
        .doesNotContain("action=\"" + app + "/function\"");
    assertThat(ids(viewer.follow(viewer.get(portal + app + "/activations")).body())).hasSize(25);
    assertThat(viewer.follow(viewer.get(portal + app + "/activations/" + ids.get(1))).body())
        .contains("greeting ada");
    HttpResponse<String> forged =
        viewer.follow(
            viewer.postForm(
                portal + app + "/function", Map.of("_csrf", csrf(seen), "timeoutSeconds", "5")));
    assertThat(forged.body())
        .contains(
            "The time limit was not changed: changing it needs the developer role in this"
                + " tenant.")
        .contains("id=\"function-timeout\">1 s per invocation");

    readInABrowser(dev, tenant, app, ids);

    // a member of another tenant finds none of it, and changes nothing
    HttpSession stranger = signedIn(fresh("stranger"));
    String own = post(stranger, "/", "/tenants", Map.of("name", fresh("s"))).body();
    for (String path : List.of(app, app + "/activations", app + "/activations/" + ids.get(1))) {
      HttpResponse<String> response = stranger.follow(stranger.get(portal + path));
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).doesNotContain("greeting", "function-runtime");
    }
    HttpResponse<String> strangerPost =
        stranger.follow(
            stranger.postForm(
                portal + app + "/function", Map.of("_csrf", csrf(own), "timeoutSeconds", "200")));
    assertThat(strangerPost.statusCode()).isEqualTo(404);
    assertThat(dev.follow(dev.get(portal + app)).body())
        .contains("id=\"function-timeout\">1 s per invocation");

    // past its 1 s limit an invocation times out, and the list shows it apart from an error
    assertThat(invoke(host, "/?sleep=1").status()).isEqualTo(504);
    String timedOut =
        awaitActivations(dev, app, b -> b.contains("class=\"badge timeout\">timeout</span>"));
    assertThat(timedOut)
        .containsPattern(
            "class=\"badge timeout\">timeout</span>\\s*" + "<span class=\"muted\">HTTP 504</span>");
  }

  /**
   * A viewer in Chromium: the Function part without its form, the activations with each status's
   * badge a colour of its own (the stylesheet served), an activation's logs; screenshots of each.
   */
  private void readInABrowser(HttpSession dev, String tenant, String app, List<String> ids) {
    String name = fresh("browser");
    String password = TestKeycloak.createUser(name);
    assertThat(
            post(
                    dev,
                    "/t/" + tenant + "/members",
                    "/t/" + tenant + "/members",
                    Map.of("username", name, "role", "viewer"))
                .body())
        .contains(name + " is now viewer.");
    try (Browser browser = new Browser()) {
      browser.open(portal + app);
      browser.signIn(name, password);
      browser.awaitText("#function-runtime", "node");
      assertThat(browser.text()).doesNotContain("Time limit per invocation (seconds)");
      browser.screenshot("app-function");
      browser.click("#function-activations");
      browser.awaitHeading("Activations of fn");
      browser.open(portal + older(browser));
      browser.awaitText("#newest", "Newest");
      String success = badgeColour(browser, ids.get(1));
      String error = badgeColour(browser, ids.get(0));
      assertThat(success).as("success and error look apart").isNotEqualTo(error);
      browser.screenshot("activations");
      browser.click("[data-activation='" + ids.get(1) + "'] a");
      browser.awaitText("#activation-logs", "<script>greeting ada</script>");
      browser.screenshot("activation");
    }
  }

  private static String older(Browser browser) {
    return browser.find("#older").getDomAttribute("href");
  }

  private static String badgeColour(Browser browser, String id) {
    return browser.find("[data-activation='" + id + "'] .badge").getCssValue("background-color");
  }

  /**
   * The activations page once it shows what {@code shown} expects: runtime-bridge writes an
   * activation within half a second of its answer.
   */
  private String awaitActivations(HttpSession dev, String app, Predicate<String> shown) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> dev.follow(dev.get(portal + app + "/activations")).body(), shown);
  }

  private String setTimeout(HttpSession dev, String app, String seconds) {
    String page = dev.follow(dev.get(portal + app)).body();
    return dev.follow(
            dev.postForm(
                portal + app + "/function", Map.of("_csrf", csrf(page), "timeoutSeconds", seconds)))
        .body();
  }

  private static List<String> ids(String page) {
    return ACTIVATION.matcher(page).results().map(m -> m.group(1)).toList();
  }

  private static String host(String page) {
    Matcher url = URL.matcher(page);
    assertThat(url.find()).as("the function's URL on the page").isTrue();
    return url.group(1);
  }

  /** A GET of {@code path} at the function's host through Caddy. */
  private static Router.Answer invoke(String host, String path) {
    return new Router(SharedPlatform.get().caddy().httpPort()).get(host, path);
  }

  /** Pushes a repository holding the handler alone: a function for the function-node stack. */
  private void push(String developer, String token, String tenant) {
    GitCli git = new GitCli(work);
    Path repo = git.newRepository(work.resolve("fn"), Map.of("handler.js", HANDLER));
    git.ok(repo, "push", gitRemote(developer, token, tenant, "fn"), "main");
  }
}
