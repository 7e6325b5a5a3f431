package io.slipway.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app page in a real browser against the real platform ({@link SharedPlatform}): a developer
 * signs in through Keycloak, creates an app, pushes the static sample with git and the token the
 * portal showed, follows the build's log live, sees the app live through Caddy and then manages it
 * from the page.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class AppPageBrowserIT {

  private static final Duration BUILD_AND_DEPLOY = Duration.ofSeconds(120);
  private final String portal = TestKeycloak.portalUrl();
  private Browser browser;
  @TempDir Path work;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    SharedPlatform.portalProperties(registry);
  }

  @BeforeEach
  void open() {
    browser = new Browser();
  }

  @AfterEach
  void close() {
    browser.close();
  }

  @Test
  void aPushedSiteGoesLiveWhileThePageFollowsItAndIsManagedFromThere() throws IOException {
    Developer developer = signInWithToken();
    String tenant = createTenantAndProject();
    createApp("site");
    String page = browser.driver.getCurrentUrl();
    assertThat(browser.find("#builds").getText()).contains("No builds yet");
    String remote = gitRemote();
    assertThat(remote).isEqualTo(SharedPlatform.gitUrl() + "/" + tenant + "/web/site.git");

    String pushed = push(developer, remote, "first");
    assertThat(pushed).contains("/builds/1");
    // git returns once the build is queued; building, scanning and signing take seconds, so its
    // page opens while it runs and follows it without a reload
    browser.open(page + "/builds/1");
    browser.awaitHeading("Build #1");
    assertThat(browser.find("#build-log").getAttribute("data-stream"))
        .as("the build's page opened while it ran follows its log live")
        .endsWith("/builds/1/log");
    browser.awaitText("#build-log", "STEP 1/", BUILD_AND_DEPLOY);
    browser.awaitText("#build-status", "succeeded", BUILD_AND_DEPLOY);
    browser.awaitText("#build-log", "COMMIT", BUILD_AND_DEPLOY);
    assertThat(browser.driver.findElements(By.cssSelector("form[action$='/cancel']")))
        .as("the cancel button goes when the build ends")
        .allSatisfy(form -> assertThat(form.isDisplayed()).isFalse());
    browser.screenshot("build");

    browser.open(page);
    browser.reloadUntilText("#app-status", "Running (1 replica)", BUILD_AND_DEPLOY);
    assertThat(browser.find("#push-to-live h2").getText()).matches("Push to live: [0-9.]+ m?s");
    assertThat(browser.find("#push-to-live table").getText()).contains("queue", "build", "deploy");
    String url = browser.find("#app-url").getText();
    String host = "site--web--" + tenant + ".apps.localhost";
    assertThat(url).startsWith("http://" + host);
    // the static sample declares no app.json cron: the page says how to
    assertThat(browser.find("#jobs").getText())
        .contains("No scheduled jobs. Declare jobs in app.json's cron");
    browser.screenshot("app");
    browser.open("http://" + host + ":" + SharedPlatform.get().caddy().httpPort() + "/");
    assertThat(browser.find("h1").getText()).isEqualTo("Hello from Slipway");
    browser.open(page);

    browser.type("#env-name", "GREETING");
    browser.type("#env-value", "hello");
    browser.click("form[action$='/env'] button");
    browser.awaitExactText("p.notice", "GREETING set.");
    browser.type("#secret-name", "API_KEY");
    browser.type("#secret-value", "s3cr3t-value");
    browser.click("form[action$='/secrets'] button");
    browser.awaitText("p.notice", "Secret API_KEY set");
    assertThat(browser.find("#environment").getText())
        .contains("GREETING", "hello", "API_KEY", "••••••••");
    assertThat(browser.driver.getPageSource()).doesNotContain("s3cr3t-value");

    String domain = tenant + ".example.com";
    browser.type("#domain", domain);
    browser.click("form[action$='/domains'] button");
    // pending until proven: the page says how, with a Verify button
    assertThat(browser.find("#domains").getText())
        .contains(
            domain, "pending", "_slipway-challenge." + domain, "/.well-known/slipway-domain/");
    assertThat(browser.find("button[aria-label='Verify " + domain + "']").isDisplayed()).isTrue();
    browser.screenshot("app-settings");

    browser.type("#replicas", "2");
    browser.click("form[action$='/scale'] button");
    browser.awaitExactText("p.notice", "Scaled to 2 replicas.");
    browser.reloadUntilText("#app-status", "Running (2 replicas)", BUILD_AND_DEPLOY);
    browser.click("form[action$='/stop'] button");
    browser.awaitText("p.notice", "Stopped.");
    browser.reloadUntilText("#app-status", "Stopped", BUILD_AND_DEPLOY);
    browser.click("form[action$='/start'] button");
    browser.awaitExactText("p.notice", "Started.");
    browser.reloadUntilText("#app-status", "Running (2 replicas)", BUILD_AND_DEPLOY);
    browser.click("form[action$='/restart'] button");
    browser.awaitText("p.notice", "Restarted");

    // every change made a revision: the first one comes back in one click
    browser.click("button[aria-label='Roll back to revision 1']");
    browser.awaitExactText("p.notice", "Rolled back to revision 1.");
    browser.reloadUntilText("#history tbody tr:first-child", "live", BUILD_AND_DEPLOY);
    assertThat(browser.find("#history tbody tr:first-child").getText()).contains("live");

    browser.phoneWidth();
    browser.open(page);
    browser.find("#app-status");
    assertThat(browser.tooWide()).as("the app page fits a phone's width").isEmpty();
    browser.screenshot("app-phone");

    browser.type("#confirm-delete", "site");
    browser.click("form[action$='/delete'] button");
    browser.awaitHeading("web");
    browser.awaitExactText("p.notice", "App site deleted.");
    browser.open("http://" + host + ":" + SharedPlatform.get().caddy().httpPort() + "/?deleted");
    browser.reloadUntil(
        () -> !browser.text().contains("Hello from Slipway"),
        Duration.ofSeconds(30),
        "the deleted app to stop answering");
  }

  @Test
  void everyFormFieldOnTheMainPagesHasALabelAndTheKeyboardReachesTheContent() throws IOException {
    Developer developer = signInWithToken();
    String tenant = createTenantAndProject();
    createApp("api");
    String appPage = browser.driver.getCurrentUrl();
    push(developer, gitRemote(), "first");
    browser.reloadUntilPresent("a[href$='/builds/1']", BUILD_AND_DEPLOY);
    String tenantPage = portal + "/t/" + tenant;
    List<String> pages =
        List.of(
            portal + "/",
            tenantPage,
            tenantPage + "/members",
            tenantPage + "/image-policy",
            tenantPage + "/p/web",
            tenantPage + "/p/web/image-policy",
            appPage,
            appPage + "/builds/1",
            portal + "/tokens");
    for (String page : pages) {
      browser.open(page);
      browser.find("main h1");
      assertThat(unlabelledFields()).as("fields without a label on " + page).isEmpty();
    }
    browser.open(appPage);
    browser.find("main h1");
    browser.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
    WebElement focused = browser.driver.switchTo().activeElement();
    assertThat(focused.getText()).isEqualTo("Skip to content");
    focused.sendKeys(Keys.ENTER);
    assertThat(browser.driver.getCurrentUrl()).endsWith("#main");

    browser.click(".signout button");
    browser.awaitHeading("Push code. Get a URL.");
    String admin = fresh("admin");
    String password = TestKeycloak.createUser(admin, "platform-admin");
    browser.open(portal + "/admin");
    browser.signIn(admin, password);
    browser.awaitHeading("All tenants");
    for (String page :
        List.of(
            portal + "/admin",
            portal + "/admin/t/" + tenant,
            portal + "/admin/audit",
            portal + "/admin/supply-chain")) {
      browser.open(page);
      browser.find("main h1");
      assertThat(unlabelledFields()).as("fields without a label on " + page).isEmpty();
    }
  }

  @Test
  void anAppFromAnUnsignedImageIsCreatedAndItsRefusedDeployTellsWhy() {
    signInWithToken();
    createTenantAndProject();
    browser.type("#app-name", "cache");
    new Select(browser.find("#source")).selectByValue("image");
    browser.type("#sourceRef", "localhost/slipway/stacks/static:1");
    browser.type("#port", "8080");
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading("cache");
    browser.awaitText(
        "p.error", "App cache was created, but localhost/slipway/stacks/static:1 was not deployed");
    assertThat(browser.find("ul.reasons").getText()).containsIgnoringCase("signed");
    assertThat(browser.find("#deploy-image").getAttribute("value"))
        .isEqualTo("localhost/slipway/stacks/static:1");
    browser.screenshot("app-refused");
  }

  /**
   * A push whose build succeeds and whose revision exits at start is a failed push: the app's
   * builds say "deploy failed" with the cause, and the build's page says so with the exit code and
   * the app's own last output; the next push, listening on the wrong port, is told which port.
   */
  @Test
  void aPushWhoseRevisionExitsAtStartShowsAFailedPushWithTheAppsLastOutput() throws IOException {
    Pushed pushed =
        newAppPushed(
            "crash",
            "FROM localhost/slipway/stacks/static:1\n"
                + "CMD [\"/bin/busybox\", \"sh\", \"-c\","
                + " \"echo cannot start: DATABASE_URL is not set; exit 3\"]\n");
    String page = pushed.page();
    GitCli git = pushed.git();
    Path repo = pushed.repo();
    String withToken = pushed.remote();

    browser.open(page + "/builds/1");
    browser.reloadUntilText("#push-status", "push failed at the deploy stage", BUILD_AND_DEPLOY);
    assertThat(browser.find("#build-status").getText()).isEqualTo("succeeded");
    assertThat(browser.find("#build-deploy").getText())
        .contains("failed", "revision 1", "exited with code 3", "DATABASE_URL is not set");
    browser.screenshot("build-deploy-failed");

    browser.open(page);
    assertThat(browser.find("#builds tbody tr:first-child").getText())
        .contains("#1", "deploy failed", "revision 1 exited with code 3");
    // nothing runs: no URL, Stop or Scale, but what to do next
    assertThat(browser.find("#status").getText()).contains("Nothing runs: the last deploy failed");
    assertThat(browser.driver.findElements(By.cssSelector("#app-url, form[action$='/stop']")))
        .isEmpty();
    browser.screenshot("app-deploy-failed");

    // a fix that listens on the wrong port is told which port it opened and which it must
    Files.writeString(
        repo.resolve("Containerfile"),
        "FROM localhost/slipway/stacks/static:1\n"
            + "CMD [\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"9090\", \"-h\", \"/\"]\n");
    git.ok(repo, "commit", "-q", "-a", "-m", "listen");
    git.ok(repo, "push", withToken, "main");
    browser.open(page + "/builds/2");
    browser.reloadUntilText("#push-status", "push failed at the deploy stage", BUILD_AND_DEPLOY);
    assertThat(browser.find("#build-deploy").getText())
        .contains("listens on port 9090, not on its port 8080");
  }

  /**
   * A failed build names its cause in plain words on its page, with the log's last lines: a base
   * image that does not exist (and which do), a step denied permission, a failed dependency install
   * by its command.
   */
  @Test
  void eachFailedBuildNamesItsCauseOnItsPage() throws IOException {
    Pushed pushed = newAppPushed("broken", "FROM localhost/slipway/stacks/nope:1\n");
    String page = pushed.page();
    GitCli git = pushed.git();
    Path repo = pushed.repo();
    String withToken = pushed.remote();
    Map<Integer, String> causes =
        Map.of(
            1, "does not exist here: FROM may name an image this tenant built",
            2, "was denied permission",
            3, "the dependency install `RUN npm ci` failed");
    for (String containerfile :
        List.of(
            "FROM localhost/slipway/stacks/static:1\nUSER 65534\n"
                + "RUN [\"/bin/busybox\", \"touch\", \"/bin/mine\"]\n",
            "FROM localhost/slipway/stacks/node:1\nWORKDIR /app\nRUN npm ci\n")) {
      Files.writeString(repo.resolve("Containerfile"), containerfile);
      git.ok(repo, "commit", "-q", "-a", "-m", "another cause");
      git.ok(repo, "push", withToken, "main");
    }

    for (Map.Entry<Integer, String> cause : new java.util.TreeMap<>(causes).entrySet()) {
      browser.open(page + "/builds/" + cause.getKey());
      browser.reloadUntilText("#build-status", "failed", BUILD_AND_DEPLOY);
      browser.open(page + "/builds/" + cause.getKey()); // the reason row comes with the reload
      assertThat(browser.find("#build-reason").getText())
          .contains(cause.getValue(), "the log ends with:");
      browser.screenshot("build-failed-" + cause.getKey());
    }
  }

  /**
   * An image whose app.json declares a cron entry: the page lists it under Scheduled jobs, and Run
   * now starts it; the page follows the run by itself until it ends, shows its output, and lists it
   * under Runs.
   */
  @Test
  void runNowRunsAScheduledJobAndShowsItsOutput() {
    String command = "echo report ready; /bin/busybox sleep 2; echo 2 rows";
    Pushed pushed =
        newAppPushed(
            "jobs",
            Map.of(
                "index.html",
                "jobs\n",
                "Containerfile",
                "FROM localhost/slipway/stacks/static:1\nUSER 0\n"
                    + "RUN [\"/bin/busybox\", \"cp\", \"/bin/busybox\", \"/bin/sh\"]\n"
                    + "USER 65534\n"
                    + "COPY index.html /www/index.html\n"
                    + "LABEL io.slipway.app-json='{\"cron\":[{\"command\":\""
                    + command
                    + "\",\"schedule\":\"@daily\"}]}'\n"));
    browser.open(pushed.page());
    browser.reloadUntilText("#jobs", command, BUILD_AND_DEPLOY);
    assertThat(browser.find("#jobs").getText()).contains("@daily", "every day at 00:00 UTC");
    browser.click("button[aria-label='Run now: " + command + "']");
    // the post comes back at once; the page's script follows the run until it ends
    browser.awaitText(
        "p.notice", "Started " + command + ": how it goes shows below until it ends.");
    browser.awaitText("#run-result", "succeeded (exit code 0)", Duration.ofSeconds(60));
    assertThat(browser.find("#job-output").getText()).isEqualTo("report ready\n2 rows");
    // the Runs list is as the page was loaded: reloaded, it has the run as it ended
    browser.reloadUntilText("#runs", "succeeded", Duration.ofSeconds(10));
    assertThat(browser.find("#runs").getText()).contains(command);
    browser.screenshot("app-jobs");
  }

  @Test
  void theApiReferenceListsEveryServicesOperationsFromTheirOwnDocuments() {
    signInWithToken();
    browser.click("nav.nav a[href='/api-reference']");
    browser.awaitHeading("API reference");

    String page = browser.text();
    assertThat(page)
        .contains(
            "Slipway tenant-service API",
            "Slipway build-service API",
            "Slipway runtime-bridge API",
            "/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/builds",
            "/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/rollback",
            "/api/v1/tokens",
            "Authorization: Bearer $SLIPWAY_TOKEN")
        .doesNotContain("did not answer");
    // the count is of what the documents hold, each operation one row
    int rows = browser.driver.findElements(By.cssSelector("table.operations tbody tr")).size();
    assertThat(rows).isGreaterThan(30);
    assertThat(page).contains(rows + " operations of the platform's three services");
    assertThat(browser.find("#build-service a[href$='/v3/api-docs']").getAttribute("href"))
        .isEqualTo(SharedPlatform.buildUrl() + "/v3/api-docs");
    browser.screenshot("api-reference");

    browser.phoneWidth();
    browser.open(portal + "/api-reference");
    browser.awaitHeading("API reference");
    assertThat(browser.tooWide()).as("the reference fits a phone's width").isEmpty();
  }

  /** A new app's page, and the repository pushed to it with the remote that carries the token. */
  private record Pushed(String page, GitCli git, Path repo, String remote) {}

  /**
   * Signs a new developer in, makes a tenant, project and app {@code app}, and pushes a repository
   * holding just {@code containerfile} to it.
   */
  private Pushed newAppPushed(String app, String containerfile) {
    return newAppPushed(app, Map.of("Containerfile", containerfile));
  }

  /** As {@link #newAppPushed(String, String)}, with a repository holding {@code files}. */
  private Pushed newAppPushed(String app, Map<String, String> files) {
    Developer developer = signInWithToken();
    createTenantAndProject();
    createApp(app);
    String page = browser.driver.getCurrentUrl();
    GitCli git = new GitCli(work);
    Path repo = git.newRepository(work.resolve(app), files);
    String remote =
        gitRemote().replaceFirst("://", "://" + developer.name() + ":" + developer.token() + "@");
    git.ok(repo, "push", remote, "main");
    return new Pushed(page, git, repo, remote);
  }

  /** The signed-in developer and the personal access token the portal showed them once. */
  private record Developer(String name, String token) {}

  private Developer signInWithToken() {
    String developer = fresh("dev");
    String password = TestKeycloak.createUser(developer);
    browser.open(portal + "/tokens");
    browser.signIn(developer, password);
    browser.awaitHeading("Personal access tokens");
    browser.type("#token-name", "laptop");
    browser.click("form[action='/tokens'] button");
    String token = browser.find("#new-token").getText();
    assertThat(token).startsWith("slp_");
    return new Developer(developer, token);
  }

  private String createTenantAndProject() {
    String tenant = fresh("a");
    browser.open(portal + "/");
    browser.type("#name", tenant);
    browser.click("form[action='/tenants'] button");
    browser.awaitHeading(tenant);
    browser.type("#project-name", "web");
    browser.click("form[action$='/projects'] button");
    browser.awaitHeading("web");
    return tenant;
  }

  private void createApp(String app) {
    browser.type("#app-name", app);
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading(app);
  }

  /** The remote of the {@code git remote add} command the app page shows. */
  private String gitRemote() {
    String commands = browser.find("#git-commands").getText();
    assertThat(commands).startsWith("git remote add slipway ").endsWith("git push slipway main");
    return commands.lines().findFirst().orElseThrow().substring("git remote add slipway ".length());
  }

  /** Pushes the static sample as the README tells, with the token as the password. */
  private String push(Developer developer, String remote, String message) throws IOException {
    GitCli git = new GitCli(work);
    Path repo = work.resolve("site-" + UUID.randomUUID());
    Files.createDirectories(repo);
    Path sample = Path.of("..", "samples", "static-site");
    try (var files = Files.list(sample)) {
      for (Path file : files.toList()) {
        Files.copy(file, repo.resolve(file.getFileName()));
      }
    }
    git.ok(repo, "init", "-q", "-b", "main");
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", message);
    git.ok(repo, "remote", "add", "slipway", remote);
    String withToken =
        remote.replaceFirst("://", "://" + developer.name() + ":" + developer.token() + "@");
    return git.ok(repo, "push", withToken, "main");
  }

  /** Ids (or tags) of visible form fields that no label, aria-label or aria-labelledby names. */
  @SuppressWarnings("unchecked")
  private List<String> unlabelledFields() {
    return (List<String>)
        browser.driver.executeScript(
            """
            return Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(f => f.type !== 'hidden')
              .filter(f => f.labels.length === 0 && !f.getAttribute('aria-label')
                           && !f.getAttribute('aria-labelledby'))
              .map(f => f.id || f.name || f.tagName);
            """);
  }

  private static String fresh(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
