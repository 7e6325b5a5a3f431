package io.slipway.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Governance in the portal, in a real browser against the real platform: a real build's SBOM is
 * downloaded through the portal and its scan shown; a platform admin imports an advisory that
 * applies to it; the tenant tightens its image policy, which refuses a rollback with its reasons,
 * and a waiver lets it through.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class SupplyChainBrowserIT {

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
  void aBuildsSbomAndScanAreShownAndTheTenantsPolicyDecidesWhatRuns() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String npmName = "left-pad-" + suffix;
    String developer = "dev" + suffix;
    String password = TestKeycloak.createUser(developer);
    String tenant = "s" + suffix;

    // a developer pushes a site that carries an npm package
    browser.open(portal + "/tokens");
    browser.signIn(developer, password);
    browser.awaitHeading("Personal access tokens");
    browser.type("#token-name", "laptop");
    browser.click("form[action='/tokens'] button");
    String token = browser.find("#new-token").getText();
    browser.open(portal + "/");
    browser.type("#name", tenant);
    browser.click("form[action='/tenants'] button");
    browser.awaitHeading(tenant);
    browser.type("#project-name", "web");
    browser.click("form[action$='/projects'] button");
    browser.awaitHeading("web");
    browser.type("#app-name", "site");
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading("site");
    String appPage = browser.driver.getCurrentUrl();
    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(
            work.resolve("site"),
            Map.of(
                "index.html",
                Files.readString(Path.of("..", "samples", "static-site", "index.html")),
                "node_modules/" + npmName + "/package.json",
                "{\"name\":\"" + npmName + "\",\"version\":\"1.1.0\"}"));
    git.ok(
        repo,
        "push",
        SharedPlatform.gitUrl().replace("://", "://" + developer + ":" + token + "@")
            + "/"
            + tenant
            + "/web/site.git",
        "main");
    browser.reloadUntilText("#app-status", "Running (1 replica)", BUILD_AND_DEPLOY);

    // the build page: a clean scan and the SBOM, downloaded through the portal
    String buildPage = appPage + "/builds/1";
    browser.open(buildPage);
    assertThat(browser.find("#scan-empty").getText()).startsWith("No known vulnerabilities");
    assertThat(browser.find("#supply-chain .badge").getText()).isEqualTo("signed by the platform");
    @SuppressWarnings("unchecked")
    Map<String, Object> sbom =
        (Map<String, Object>)
            browser.driver.executeAsyncScript(
                """
                const done = arguments[arguments.length - 1];
                fetch(document.getElementById('sbom').href).then(async r => done({
                  status: r.status, type: r.headers.get('Content-Type'),
                  disposition: r.headers.get('Content-Disposition'), body: await r.text()}));
                """);
    assertThat(sbom.get("status")).isEqualTo(200L);
    assertThat((String) sbom.get("type")).startsWith("application/vnd.cyclonedx+json");
    assertThat((String) sbom.get("disposition")).contains("attachment", "site-build-1.cdx.json");
    assertThat((String) sbom.get("body"))
        .contains("\"bomFormat\"", "pkg:npm/" + npmName + "@1.1.0");

    // an env change makes revision 2 (no new image)
    browser.open(appPage);
    browser.type("#env-name", "GREETING");
    browser.type("#env-value", "hello");
    browser.click("form[action$='/env'] button");
    browser.awaitExactText("p.notice", "GREETING set.");
    browser.click(".signout button");
    browser.awaitHeading("Push code. Get a URL.");

    // a platform admin imports an advisory for that package on the supply chain page
    String admin = "root" + suffix;
    String adminPassword = TestKeycloak.createUser(admin, "platform-admin");
    browser.open(portal + "/admin");
    browser.signIn(admin, adminPassword);
    browser.awaitHeading("All tenants");
    browser.click("a[href='/admin/supply-chain']");
    browser.awaitHeading("Supply chain");
    assertThat(browser.find("#maxSeverity option:checked").getText()).isEqualTo("HIGH");
    assertThat(browser.find("#keys tbody").getText())
        .as("the keyring's active key, which signed the build")
        .contains("active");
    Path advisory = work.resolve("advisory.json");
    Files.writeString(
        advisory,
        """
        {"id": "SLWTEST-%s", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-%s"],
         "summary": "pads wrongly", "database_specific": {"severity": "HIGH"},
         "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
        """
            .formatted(suffix, suffix, npmName));
    browser.find("#advisory-file").sendKeys(advisory.toAbsolutePath().toString());
    browser.click("form[action$='/advisories'] button");
    browser.awaitText("p.notice", "advisory.json imported: 1 advisory new or updated, 0 withdrawn");
    browser.screenshot("admin-supply-chain");
    browser.click(".signout button");
    browser.awaitHeading("Push code. Get a URL.");

    // the developer sees the finding on the build
    browser.open(buildPage);
    browser.signIn(developer, password);
    browser.awaitHeading("Build #1");
    assertThat(browser.find("#scan-summary").getText().replaceAll("\\s+", " ")).isEqualTo("HIGH 1");
    assertThat(browser.find("#scan tbody tr").getText())
        .contains("HIGH", npmName, "npm", "1.1.0", "SLWTEST-" + suffix, "pads wrongly", "1.3.0");
    assertThat(browser.driver.findElements(org.openqa.selenium.By.cssSelector("#scan a")))
        .as("advisory ids link nowhere outside")
        .isEmpty();
    browser.screenshot("build-scan");

    // the tenant admin tightens the policy: HIGH is too much now, and a rollback is refused
    browser.open(portal + "/t/" + tenant);
    browser.click("a[href$='/image-policy']");
    browser.awaitHeading("Image policy");
    new Select(browser.find("#maxSeverity")).selectByValue("MEDIUM");
    browser.click("#tighten button");
    browser.awaitExactText("p.notice", "Image policy saved.");
    assertThat(browser.find("#rule-severity").getText()).endsWith("HIGH MEDIUM MEDIUM");
    browser.open(appPage);
    browser.click("button[aria-label='Roll back to revision 1']");
    browser.awaitText("p.error", "refused by the image policy");
    assertThat(browser.find("ul.reasons").getText()).contains("SLWTEST-" + suffix);
    browser.screenshot("app-refused-rollback");

    // a waiver, with its reason and expiry, lets the same rollback through
    browser.open(portal + "/t/" + tenant + "/image-policy");
    browser.type("#advisoryId", "SLWTEST-" + suffix);
    browser.type("#reason", "the padding code is never called");
    String expires = LocalDate.now().plusDays(30).toString();
    browser.driver.executeScript(
        "document.getElementById('expiresOn').value = arguments[0]", expires);
    browser.click("#add-waiver button");
    browser.awaitExactText(
        "p.notice", "Advisory SLWTEST-" + suffix + " waived until " + expires + ".");
    assertThat(browser.find("#waivers tbody").getText())
        .contains("SLWTEST-" + suffix, "the padding code is never called", expires);
    browser.phoneWidth();
    browser.open(portal + "/t/" + tenant + "/image-policy");
    assertThat(browser.tooWide()).as("the policy page fits a phone's width").isEmpty();
    browser.screenshot("image-policy-phone");
    browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    browser.screenshot("image-policy");
    browser.open(appPage);
    browser.click("button[aria-label='Roll back to revision 1']");
    browser.awaitExactText("p.notice", "Rolled back to revision 1.");
  }
}
