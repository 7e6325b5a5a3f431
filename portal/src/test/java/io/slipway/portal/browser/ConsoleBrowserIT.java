package io.slipway.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.TestKeycloak;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in a real browser (Debian's Chromium), against the real Keycloak, the real
 * tenant-service (its own process) and PostgreSQL. Screenshots of the main pages are saved in
 * target/screenshots.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class ConsoleBrowserIT {

  private final String portal = TestKeycloak.portalUrl();
  private Browser browser;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", TestKeycloak::portalPort);
    registry.add("slipway.portal.oidc-issuer", TestKeycloak::issuer);
    registry.add("slipway.portal.client-secret", TestKeycloak::portalClientSecret);
    registry.add("slipway.portal.tenant-api-url", SharedPlatform::tenantUrl);
    // build-service and runtime-bridge are down here: the app page says so in their sections
    registry.add("slipway.portal.build-api-url", () -> "http://127.0.0.1:1");
    registry.add("slipway.portal.runtime-api-url", () -> "http://127.0.0.1:1");
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
  void aDeveloperCreatesATenantAProjectAndAnAppAndSeesHowToPush() {
    String developer = fresh("dev");
    String password = TestKeycloak.createUser(developer);
    String tenant = fresh("t");

    browser.open(portal + "/");
    browser.screenshot("welcome");
    browser.click("main a.button");
    browser.signIn(developer, password);
    browser.awaitHeading("Your tenants");
    assertThat(browser.text()).contains("No tenants yet", developer);
    assertThat(browser.driver.findElements(By.linkText("Admin"))).isEmpty();
    browser.screenshot("dashboard-empty");

    browser.type("#name", tenant);
    browser.type("#displayName", "Browser Test Inc");
    browser.click("form[action='/tenants'] button");
    browser.awaitHeading("Browser Test Inc");
    assertThat(browser.text()).contains("Usage against quota", "No projects yet");

    browser.type("#project-name", "web");
    browser.click("form[action$='/projects'] button");
    browser.awaitHeading("web");
    browser.type("#app-name", "api");
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading("api");
    assertThat(browser.find("#git-commands").getText())
        .isEqualTo(
            "git remote add slipway http://127.0.0.1:8082/git/"
                + tenant
                + "/web/api.git\ngit push slipway main");
    assertThat(browser.find("button[data-copy='git-commands']").getText()).isEqualTo("Copy");
    assertThat(browser.text()).contains("build-service cannot be reached right now");
    browser.screenshot("app-git-instructions");

    browser.open(portal + "/t/" + tenant + "/p/web");
    browser.awaitHeading("web");
    browser.screenshot("project");
    browser.open(portal + "/t/" + tenant + "/members");
    browser.awaitHeading("Members");
    browser.screenshot("members");
    browser.open(portal + "/tokens");
    browser.type("#token-name", "laptop");
    browser.click("form[action='/tokens'] button");
    assertThat(browser.find("#new-token").getText()).startsWith("slp_");
    browser.screenshot("tokens");

    browser.open(portal + "/t/" + tenant);
    browser.awaitHeading("Browser Test Inc");
    assertThat(browser.text()).contains("web");
    browser.screenshot("tenant");

    // a bad name is explained on the page, not as an error page
    browser.open(portal + "/t/" + tenant + "/p/web");
    browser.awaitHeading("web");
    browser.driver.executeScript("document.getElementById('app-name').removeAttribute('pattern')");
    browser.type("#app-name", "Not-Valid");
    browser.click("form[action$='/apps'] button");
    assertThat(browser.find("p.error").getText()).contains("DNS-1123");

    // the API reference still lists tenant-service's operations while the others are down
    browser.open(portal + "/api-reference");
    browser.awaitHeading("API reference");
    assertThat(browser.text())
        .contains("/api/v1/tenants/{tenant}/projects", "build-service did not answer")
        .contains("runtime-bridge did not answer");

    browser.open(portal + "/admin");
    browser.awaitHeading("Not allowed");
    browser.screenshot("developer-refused-admin");

    browser.phoneWidth();
    browser.open(portal + "/");
    browser.awaitHeading("Your tenants");
    assertThat(browser.tooWide()).as("the dashboard fits a phone's width").isEmpty();
    browser.screenshot("dashboard-phone");

    // the tokens page at a phone's width: each token a small card, scopes in words, times relative
    browser.open(portal + "/tokens");
    browser.awaitHeading("Personal access tokens");
    assertThat(browser.tooWide()).as("the tokens page fits a phone's width").isEmpty();
    assertThat(browser.find("table.list td[data-label='Scopes']").getText())
        .isEqualTo("git: push and clone");
    assertThat(browser.find("table.list td[data-label='Expires'] time").getText())
        .isEqualTo("in 30 days");
    assertThat(browser.find("table.list td[data-label='Created'] time").getAttribute("title"))
        .endsWith(" UTC");
    browser.screenshot("tokens-phone");
  }

  @Test
  void aPlatformAdminEditsQuotasAndAProjectQuotaAboveTheTenantsIsRefused() {
    String developer = fresh("dev");
    String devPassword = TestKeycloak.createUser(developer);
    String tenant = fresh("q");
    browser.open(portal + "/tokens");
    browser.signIn(developer, devPassword);
    browser.awaitHeading("Personal access tokens");
    browser.open(portal + "/");
    browser.type("#name", tenant);
    browser.click("form[action='/tenants'] button");
    browser.awaitHeading(tenant);
    browser.type("#project-name", "web");
    browser.click("form[action$='/projects'] button");
    browser.awaitHeading("web");
    browser.type("#app-name", "api");
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading("api");
    browser.click(".signout button");
    browser.awaitHeading("Push code. Get a URL.");

    String admin = fresh("admin");
    String adminPassword = TestKeycloak.createUser(admin, "platform-admin");
    browser.open(portal + "/admin");
    browser.signIn(admin, adminPassword);
    browser.awaitHeading("All tenants");
    browser.type("#q", tenant);
    browser.click("form[role='search'] button");
    browser.click("a[href='/admin/t/" + tenant + "']");
    browser.find("#tenant-quota");
    browser.screenshot("admin-quota");

    browser.type("#web-memoryMib", "999999");
    browser.click("#project-quota-web button");
    assertThat(browser.find("p.error").getText())
        .contains("may not exceed its tenant's", "memoryMib 999999", "8192");
    browser.screenshot("admin-project-quota-refused");

    browser.type("#tenant-apps", "0");
    browser.click("#tenant-quota button");
    assertThat(browser.find("p.notice").getText()).contains("Quota of " + tenant + " saved");
    assertThat(browser.find("#tenant-quota .field.over label").getText()).isEqualTo("Apps");

    browser.open(portal + "/admin?q=" + tenant);
    assertThat(browser.find("tr.over-row").getText()).contains(tenant, "over quota");
    browser.screenshot("admin-tenants-overage");

    // sorting happens in tenant-service: a header click asks for it and the page says so
    browser.click("th a.sort[href*='sort=apps']");
    new org.openqa.selenium.support.ui.WebDriverWait(
            browser.driver, java.time.Duration.ofSeconds(20))
        .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("sort=apps,desc"));
    assertThat(browser.driver.getCurrentUrl()).contains("q=" + tenant);
    assertThat(browser.find("th[aria-sort='descending']").getText()).isEqualTo("Apps");
    new org.openqa.selenium.support.ui.Select(browser.find("#sort"))
        .selectByVisibleText("Over quota first");
    browser.click("form[role='search'] button");
    new org.openqa.selenium.support.ui.WebDriverWait(
            browser.driver, java.time.Duration.ofSeconds(20))
        .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("sort=overages"));
    assertThat(browser.find("tr.over-row").getText()).contains(tenant);

    browser.open(portal + "/admin/audit?tenant=" + tenant);
    browser.awaitHeading("Audit log");
    assertThat(browser.text()).contains("quota.updated", admin, "app.created", developer);
    browser.screenshot("admin-audit");
  }

  private static String fresh(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
