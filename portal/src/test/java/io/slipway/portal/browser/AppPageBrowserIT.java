package io.slipway.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.TestKeycloak;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app page in a real browser: the real Keycloak and tenant-service, and {@link ServiceStub} for
 * the build-service and runtime-bridge endpoints built alongside. Live build and app logs arrive
 * through the portal's Server-Sent Events relay into the page's script.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class AppPageBrowserIT {

  private static ServiceStub stub;
  private final String portal = TestKeycloak.portalUrl();
  private Browser browser;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", TestKeycloak::portalPort);
    registry.add("slipway.portal.oidc-issuer", TestKeycloak::issuer);
    registry.add("slipway.portal.client-secret", TestKeycloak::portalClientSecret);
    registry.add("slipway.portal.tenant-api-url", TenantServiceProcess::url);
    registry.add("slipway.portal.build-api-url", AppPageBrowserIT::stubUrl);
    registry.add("slipway.portal.runtime-api-url", AppPageBrowserIT::stubUrl);
  }

  static synchronized String stubUrl() {
    if (stub == null) {
      stub = new ServiceStub(TenantServiceProcess.url());
    }
    return stub.url();
  }

  @AfterAll
  static void stopStub() {
    if (stub != null) {
      stub.close();
    }
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
  void theAppPageFollowsABuildLiveAndManagesSettingsDomainsAndLifecycle() {
    String developer = fresh("dev");
    String app = signInAndCreateApp(developer);
    String page = browser.driver.getCurrentUrl();

    assertThat(browser.find("#app-status").getText()).isEqualTo("Running (2 replica(s))");
    assertThat(browser.find("#push-to-live h2").getText()).isEqualTo("Push to live: 1.7 s");
    assertThat(browser.find("#app-url").getText())
        .isEqualTo("http://" + app + ".apps.localhost:8088");
    awaitText("#app-log", "listening on :8080");
    assertThat(browser.find("#events").getText()).contains("OOMKilled", "ran out of memory");
    browser.screenshot("app");

    // a running build's log arrives line by line; its badge turns when the build ends
    browser.click("a[href$='/builds/2']");
    browser.awaitHeading("Build #2");
    awaitText("#build-log", "COMMIT localhost/slipway/app:5be07d1");
    awaitText("#build-status", "succeeded");
    assertThat(browser.driver.findElements(By.cssSelector("form[action$='/cancel']")))
        .as("the cancel button goes when the build ends")
        .allSatisfy(form -> assertThat(form.isDisplayed()).isFalse());
    browser.screenshot("build-live");
    browser.open(page + "/builds/1");
    assertThat(browser.find("#build-log").getText()).contains("STEP 1/3");
    browser.open(page);

    browser.type("#env-name", "GREETING");
    browser.type("#env-value", "hello");
    browser.click("form[action$='/env'] button");
    assertThat(browser.find("p.notice").getText()).isEqualTo("GREETING set.");
    browser.type("#secret-name", "API_KEY");
    browser.type("#secret-value", "s3cr3t-value");
    browser.click("form[action$='/secrets'] button");
    assertThat(browser.find("p.notice").getText()).contains("Secret API_KEY set");
    assertThat(browser.find("#environment").getText())
        .contains("GREETING", "hello", "API_KEY", "••••••••");
    assertThat(browser.driver.getPageSource()).doesNotContain("s3cr3t-value");

    browser.type("#domain", "taken.example.com");
    browser.click("form[action$='/domains'] button");
    assertThat(browser.find("p.error").getText())
        .startsWith("taken.example.com is already in use by another app on this platform.");
    browser.type("#domain", "shop.example.com");
    browser.click("form[action$='/domains'] button");
    assertThat(browser.find("#domains").getText()).contains("shop.example.com");
    browser.screenshot("app-settings");

    browser.click("form[action$='/stop'] button");
    assertThat(browser.find("#app-status").getText()).isEqualTo("Stopped");
    browser.click("form[action$='/start'] button");
    assertThat(browser.find("#app-status").getText()).isEqualTo("Running (2 replica(s))");

    browser.phoneWidth();
    browser.open(page);
    browser.find("#app-status");
    assertThat(browser.tooWide()).as("the app page fits a phone's width").isEmpty();
    browser.screenshot("app-phone");

    browser.type("#confirm-delete", app);
    browser.click("form[action$='/delete'] button");
    browser.awaitHeading("web");
    assertThat(browser.find("p.notice").getText()).isEqualTo("App " + app + " deleted.");
    String tenant = page.replaceAll(".*/t/([^/]+)/.*", "$1");
    assertThat(stub.calls())
        .filteredOn(call -> call.path().startsWith("/api/v1/tenants/" + tenant + "/"))
        .as("every call to the services carried the signed-in user's own token")
        .isNotEmpty()
        .allSatisfy(call -> assertThat(call.user()).isEqualTo(developer));
  }

  @Test
  void everyFormFieldOnTheMainPagesHasALabelAndTheKeyboardReachesTheContent() {
    String developer = fresh("dev");
    String app = signInAndCreateApp(developer);
    String appPage = browser.driver.getCurrentUrl();
    String tenantPage = appPage.replaceAll("/p/.*", "");
    List<String> pages =
        List.of(
            portal + "/",
            tenantPage,
            tenantPage + "/members",
            appPage.replaceAll("/a/.*", ""),
            appPage,
            appPage + "/builds/2",
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
    String tenant = tenantPage.replaceAll(".*/t/", "");
    for (String page :
        List.of(portal + "/admin", portal + "/admin/t/" + tenant, portal + "/admin/audit")) {
      browser.open(page);
      browser.find("main h1");
      assertThat(unlabelledFields()).as("fields without a label on " + page).isEmpty();
    }
    assertThat(app).isNotEmpty();
  }

  @Test
  void anAppFromAnExistingImageIsDeployedWhenCreated() {
    String developer = fresh("dev");
    String password = TestKeycloak.createUser(developer);
    String tenant = fresh("i");
    browser.open(portal + "/tokens");
    browser.signIn(developer, password);
    browser.awaitHeading("Personal access tokens");
    browser.open(portal + "/");
    browser.type("#name", tenant);
    browser.click("form[action='/tenants'] button");
    browser.awaitHeading(tenant);
    browser.type("#project-name", "web");
    browser.click("form[action$='/projects'] button");
    browser.awaitHeading("web");
    browser.type("#app-name", "cache");
    new org.openqa.selenium.support.ui.Select(browser.find("#source")).selectByValue("image");
    browser.type("#sourceRef", "localhost/slipway/cache:7");
    browser.type("#port", "6379");
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading("cache");
    assertThat(browser.find("p.notice").getText())
        .isEqualTo("App cache created and localhost/slipway/cache:7 deployed.");
    assertThat(browser.find("#deploy-image").getAttribute("value"))
        .isEqualTo("localhost/slipway/cache:7");
    browser.screenshot("app-from-image");
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

  private String signInAndCreateApp(String developer) {
    String password = TestKeycloak.createUser(developer);
    String tenant = fresh("a");
    browser.open(portal + "/tokens");
    browser.signIn(developer, password);
    browser.awaitHeading("Personal access tokens");
    browser.open(portal + "/");
    browser.type("#name", tenant);
    browser.click("form[action='/tenants'] button");
    browser.awaitHeading(tenant);
    browser.type("#project-name", "web");
    browser.click("form[action$='/projects'] button");
    browser.awaitHeading("web");
    String app = "api";
    browser.type("#app-name", app);
    browser.click("form[action$='/apps'] button");
    browser.awaitHeading(app);
    return app;
  }

  private void awaitText(String css, String text) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  private static String fresh(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
