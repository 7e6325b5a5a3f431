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
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * The app page's Scheduled jobs against the whole platform ({@link SharedPlatform}): an app pushed
 * with git whose image declares an app.json {@code cron} entry (the label its own Containerfile
 * writes, as build-service writes it for a source build) lists the entry once live; Run now starts
 * it through runtime-bridge and redirects at once to the page, which shows it running and then how
 * it ended, with its output, and lists it under Runs; runtime-bridge's own firing shows up as the
 * last run; Run a command starts a free-form command and its page relays its output, then its exit
 * code, and in Chromium its first line shows while it still runs; a viewer sees no button and a
 * forged post is refused by runtime-bridge, in plain words; a member of another tenant gets 404.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class ScheduledJobsIT {

  private static final Pattern RUN_NOW = Pattern.compile("action=\"([^\"]+/cron/[0-9a-f]+/run)\"");
  private static final String COMMAND = "echo cron-job-ran; /bin/busybox sleep 3; echo second line";
  private static final Pattern RUN_ID = Pattern.compile("\\?run=([a-z0-9]+)");
  private static final Duration BUILD_AND_DEPLOY = Duration.ofSeconds(180);

  private final String portal = TestKeycloak.portalUrl();
  @TempDir Path work;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    SharedPlatform.portalProperties(registry);
  }

  @Test
  void aDeployedAppsCronEntryIsListedAndRunNowRunsItForDevelopersOnly() {
    String developer = fresh("dev");
    HttpSession dev = signedIn(developer);
    String token = gitToken(dev);
    String tenant = fresh("j");
    post(dev, "/", "/tenants", Map.of("name", tenant));
    post(dev, "/t/" + tenant, "/t/" + tenant + "/projects", Map.of("name", "web"));
    post(dev, "/t/" + tenant + "/p/web", "/t/" + tenant + "/p/web/apps", Map.of("name", "jobs"));
    String app = "/t/" + tenant + "/p/web/a/jobs";
    assertThat(dev.follow(dev.get(portal + app)).body())
        .contains("Scheduled jobs", "No scheduled jobs. Declare jobs in app.json's");

    push(developer, token, tenant);
    String listed =
        await()
            .atMost(BUILD_AND_DEPLOY)
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> dev.follow(dev.get(portal + app)).body(), b -> b.contains(COMMAND));
    assertThat(listed).contains("<code>* * * * *</code>", "every minute").contains("Run now");
    String runNow = runNowAction(listed);

    // Run now: the post starts the run and redirects at once to the page, which shows it running
    HttpResponse<String> started = dev.postForm(portal + runNow, Map.of("_csrf", csrf(listed)));
    assertThat(started.statusCode()).isEqualTo(302);
    String location = started.headers().firstValue("Location").orElseThrow();
    Matcher runId = RUN_ID.matcher(location);
    assertThat(runId.find()).as(location).isTrue();
    String run = runId.group(1);
    HttpResponse<String> running = dev.follow(started);
    assertThat(running.statusCode()).isEqualTo(200);
    assertThat(running.body())
        .contains("Started " + COMMAND + ": how it goes shows below until it ends.")
        .contains("id=\"run-result\">running</span>")
        .contains("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>");
    // reloaded as its meta refresh does, it shows how the run ended, with its output
    String ended =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> dev.follow(dev.get(portal + app + "?run=" + run)).body(),
                b -> !b.contains("id=\"run-result\">running</span>"));
    assertThat(ended)
        .contains("id=\"run-result\">succeeded (exit code 0)</span>")
        .contains("id=\"job-output\" tabindex=\"0\">cron-job-ran\nsecond line</pre>")
        .doesNotContain("http-equiv=\"refresh\"");
    // listed under Runs, started by the developer, with its page and whole output
    assertThat(ended)
        .containsPattern("data-run=\"" + run + "\">\\s*<td>" + developer + "</td>\\s*<td><code>");
    HttpResponse<String> runPage = dev.follow(dev.get(portal + app + "/runs/" + run));
    assertThat(runPage.statusCode()).isEqualTo(200);
    assertThat(runPage.body())
        .contains("cron-job-ran\nsecond line</pre>", "succeeded (exit code 0)");

    // Run a command: started at once, the run's page follows its output through the portal's
    // relay of runtime-bridge's stream, and shows its exit code once it ended
    String page = dev.follow(dev.get(portal + app)).body();
    assertThat(page).contains("<h3>Run a command</h3>");
    HttpResponse<String> commanded =
        dev.postForm(
            portal + app + "/runs",
            Map.of(
                "_csrf",
                csrf(page),
                "command",
                "echo from-the-form; /bin/busybox sleep 2; echo done >&2; exit 2"));
    assertThat(commanded.statusCode()).isEqualTo(302);
    String commandedRun = HttpSession.location(commanded);
    assertThat(commandedRun).containsPattern(app + "/runs/[a-z0-9]+$");
    assertThat(dev.follow(commanded).body())
        .contains("data-stream=\"" + app + "/runs/")
        .contains("id=\"run-result\">running</span>");
    String relayed = dev.get(commandedRun + "/output").body();
    assertThat(relayed)
        .containsSubsequence("data:from-the-form", "data:done", "event:end", "\"exitCode\":2");
    assertThat(dev.follow(dev.get(commandedRun)).body())
        .contains("id=\"run-result\">failed with exit code 2</span>")
        .contains("from-the-form\ndone</pre>")
        .doesNotContain("data-stream=");

    runACommandInABrowser(dev, tenant, app);

    // runtime-bridge's own firing (every minute) becomes the entry's last run
    String fired =
        await()
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofSeconds(5))
            .until(
                () -> dev.follow(dev.get(portal + app)).body(),
                b -> b.contains("class=\"badge succeeded\">succeeded (exit code 0)</span>"));
    assertThat(fired).doesNotContain("Not run yet");

    // a viewer reads the jobs, has no button, and a forged post is refused by runtime-bridge
    String viewerName = fresh("viewer");
    HttpSession viewer = signedIn(viewerName);
    HttpResponse<String> invited =
        post(
            dev,
            "/t/" + tenant + "/members",
            "/t/" + tenant + "/members",
            Map.of("username", viewerName, "role", "viewer"));
    assertThat(invited.body()).contains(viewerName + " is now viewer.");
    HttpResponse<String> seen = viewer.follow(viewer.get(portal + app));
    assertThat(seen.statusCode()).isEqualTo(200);
    assertThat(seen.body())
        .contains(COMMAND, "data-run=\"" + run + "\"")
        .doesNotContain("Run now", "/run\"");
    // nor any other control that changes the app: signing out is all a viewer may post
    assertThat(
            Pattern.compile("<form[^>]* action=\"([^\"]+)\"")
                .matcher(seen.body())
                .results()
                .map(m -> m.group(1)))
        .containsExactly("/logout");
    HttpResponse<String> forged =
        viewer.follow(viewer.postForm(portal + runNow, Map.of("_csrf", csrf(seen.body()))));
    assertThat(forged.statusCode()).isEqualTo(200);
    assertThat(forged.body())
        .contains("The job was not run: running a job needs the developer role in this tenant.")
        .doesNotContain("id=\"job-output\"");

    // a member of another tenant finds neither the page nor the job
    HttpSession stranger = signedIn(fresh("stranger"));
    HttpResponse<String> own = post(stranger, "/", "/tenants", Map.of("name", fresh("s")));
    assertThat(stranger.follow(stranger.get(portal + app)).statusCode()).isEqualTo(404);
    HttpResponse<String> strangerRun =
        stranger.follow(stranger.postForm(portal + runNow, Map.of("_csrf", csrf(own.body()))));
    assertThat(strangerRun.statusCode()).isEqualTo(404);
    assertThat(strangerRun.body()).doesNotContain(COMMAND, "cron-job-ran");
    HttpResponse<String> strangerRunPage =
        stranger.follow(stranger.get(portal + app + "/runs/" + run));
    assertThat(strangerRunPage.statusCode()).isEqualTo(404);
    assertThat(strangerRunPage.body()).doesNotContain("cron-job-ran");
  }

  /**
   * A second developer runs a command from the app page in Chromium: the run's page shows its first
   * line while the command still sleeps, then how it ended, without a reload.
   */
  private void runACommandInABrowser(HttpSession dev, String tenant, String app) {
    String name = fresh("browser");
    String password = TestKeycloak.createUser(name);
    try (Browser browser = new Browser()) {
      browser.open(portal + "/tokens");
      browser.signIn(name, password);
      browser.awaitHeading("Personal access tokens");
      assertThat(
              post(
                      dev,
                      "/t/" + tenant + "/members",
                      "/t/" + tenant + "/members",
                      Map.of("username", name, "role", "developer"))
                  .body())
          .contains(name + " is now developer.");
      browser.open(portal + app);
      browser.type(
          "#run-command-text", "echo first-line; /bin/busybox sleep 5; echo last-line; exit 3");
      browser.click("#run-command button");
      browser.awaitText("#job-output", "first-line", Duration.ofSeconds(20));
      assertThat(browser.find("#run-result").getText())
          .as("the first line shows while the command still runs")
          .isEqualTo("running");
      assertThat(browser.find("#job-output").getText()).doesNotContain("last-line");
      browser.awaitText("#run-result", "failed with exit code 3", Duration.ofSeconds(40));
      assertThat(browser.find("#job-output").getText()).contains("first-line", "last-line");
    }
  }

  /**
   * Pushes a repository whose Containerfile serves a page on 8080 with busybox (also as {@code
   * /bin/sh}, which runs commands) and labels the image with one cron entry.
   */
  private void push(String developer, String token, String tenant) {
    GitCli git = new GitCli(work);
    String containerfile =
        "FROM "
            + TestPlatform.STATIC_STACK
            + "\nUSER 0\n"
            + "RUN [\"/bin/busybox\", \"cp\", \"/bin/busybox\", \"/bin/sh\"]\n"
            + "USER 65534\n"
            + "COPY index.html /www/index.html\n"
            + "LABEL io.slipway.app-json='{\"cron\":[{\"command\":\""
            + COMMAND
            + "\",\"schedule\":\"* * * * *\"}]}'\n";
    Path repo =
        git.newRepository(
            work.resolve("jobs"),
            Map.of("Containerfile", containerfile, "index.html", "jobs answer\n"));
    git.ok(repo, "push", gitRemote(developer, token, tenant, "jobs"), "main");
  }

  private static String runNowAction(String page) {
    Matcher action = RUN_NOW.matcher(page);
    assertThat(action.find()).as("a Run now form").isTrue();
    return action.group(1);
  }
}
