package io.slipway.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.TestKeycloak;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A VM's page in a real browser against the real platform ({@link SharedPlatform}): the VM made
 * with the project page's form boots the shipped guest under TCG, its page shows it running, and
 * its serial console (xterm.js, through the portal's WebSocket proxy) shows the guest's login
 * prompt and echoes what the developer types.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@DirtiesContext
class VmConsoleBrowserIT {

  private static final Duration BOOT = Duration.ofSeconds(120);

  private final String portal = TestKeycloak.portalUrl();
  private final HttpClient http = HttpClient.newHttpClient();
  private Browser browser;

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
  void theConsoleShowsTheLoginPromptAndEchoesWhatIsTyped() throws Exception {
    String developer = PortalForms.fresh("vmdev");
    String password = TestKeycloak.createUser(developer);
    String token = TestKeycloak.userToken(developer, password);
    String tenant = PortalForms.fresh("vm");
    String app = "/api/v1/tenants/" + tenant + "/projects/web/apps/box";
    call(SharedPlatform.tenantUrl(), token, "POST", "/api/v1/tenants", name(tenant), 201);
    call(
        SharedPlatform.tenantUrl(),
        token,
        "POST",
        "/api/v1/tenants/" + tenant + "/projects",
        name("web"),
        201);
    try {
      browser.open(portal + "/");
      browser.click("main a.button");
      browser.signIn(developer, password);
      browser.awaitHeading("Your tenants");
      // made with the project page's form: the app in the catalog, then its VM
      browser.open(portal + "/t/" + tenant + "/p/web");
      browser.type("#vm-name", "box");
      browser.type("#vm-memory", "256");
      browser.type("#vm-ports", "22");
      browser.click("#vm-create");
      browser.awaitText(".notice", "VM box created and booting");
      assertThat(browser.driver.getCurrentUrl()).endsWith("/t/" + tenant + "/p/web/a/box#vm");
      // the page is rendered once: while the guest boots it says so, and the console shows the boot
      assertThat(browser.find("#vm-state").getText()).isIn("Booting", "Running");
      assertThat(browser.find("#app-status").getText()).isEqualTo("VM running");
      browser.awaitText("#vm-console-status", "Connected");
      awaitScreen("login: ", BOOT);

      // a click focuses xterm.js's hidden input, where the keys then go
      browser.click("#vm-console .xterm-screen");
      browser.driver.switchTo().activeElement().sendKeys("probe");
      awaitScreen("login: probe", Duration.ofSeconds(20));

      // the project lists it as a VM
      browser.open(portal + "/t/" + tenant + "/p/web");
      assertThat(browser.text()).contains("virtual machine");

      // a new session (the page loaded again) joins on the same screen
      browser.open(portal + "/t/" + tenant + "/p/web/a/box");
      browser.awaitText("#vm-state", "Running");
      awaitScreen("login: probe", Duration.ofSeconds(20));
      browser.screenshot("vm");
    } finally {
      call(SharedPlatform.runtimeUrl(), token, "DELETE", app + "/vm", null, 204);
    }
  }

  /** Waits until the terminal's screen (read from xterm.js's buffer) contains {@code text}. */
  private void awaitScreen(String text, Duration timeout) {
    new WebDriverWait(browser.driver, timeout)
        .withMessage(() -> "the console's screen to show '" + text + "': " + screen())
        .until(driver -> screen().contains(text));
  }

  private String screen() {
    Object lines =
        ((JavascriptExecutor) browser.driver)
            .executeScript(
                "var t = window.slipwayConsole; if (!t) return '';"
                    + " var b = t.buffer.active, out = [];"
                    + " for (var i = 0; i < b.length; i++) {"
                    + "   var l = b.getLine(i); if (l) out.push(l.translateToString(true)); }"
                    + " return out.join('\\n');");
    return String.valueOf(lines);
  }

  private static String name(String name) {
    return "{\"name\":\"" + name + "\"}";
  }

  private void call(String base, String token, String method, String path, String body, int status)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofMinutes(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isEqualTo(status);
  }
}
