package io.slipway.portal.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium, driven through its chromedriver, with a fresh profile. */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  private final WebDriverWait wait;

  Browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  void type(String css, String text) {
    WebElement field = find(css);
    field.clear();
    field.sendKeys(text);
  }

  void click(String css) {
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
  }

  /** Waits until the page's main heading reads {@code text}. */
  void awaitHeading(String text) {
    wait.until(ExpectedConditions.textToBe(By.cssSelector("h1"), text));
  }

  /**
   * Waits until the element matching {@code css} reads exactly {@code text}: after a form post, the
   * next page's message (an element of the page before would be stale or read otherwise).
   */
  void awaitExactText(String css, String text) {
    wait.until(ExpectedConditions.textToBe(By.cssSelector(css), text));
  }

  /** Waits until the element matching {@code css} contains {@code text}. */
  void awaitText(String css, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  /** Waits until the element's text contains {@code text}, as the page's script updates it. */
  void awaitText(String css, String text, Duration timeout) {
    new WebDriverWait(driver, timeout)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  /**
   * Reloads the page until an element matching {@code css} is on it: for what a service does in its
   * own time (a build, a deploy) and the page shows when next loaded.
   */
  void reloadUntilPresent(String css, Duration timeout) {
    reloadUntil(() -> !driver.findElements(By.cssSelector(css)).isEmpty(), timeout, css);
  }

  /** Reloads the page until the element matching {@code css} contains {@code text}. */
  void reloadUntilText(String css, String text, Duration timeout) {
    reloadUntil(
        () ->
            driver.findElements(By.cssSelector(css)).stream()
                .anyMatch(e -> e.getText().contains(text)),
        timeout,
        css + " to read " + text);
  }

  /** Reloads the page until {@code condition} holds; {@code what} it waited for if it does not. */
  void reloadUntil(BooleanSupplier condition, Duration timeout, String what) {
    new WebDriverWait(driver, timeout, Duration.ofMillis(300))
        .withMessage(() -> what + " on " + driver.getCurrentUrl())
        // a page still being replaced after a click
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              if (condition.getAsBoolean()) {
                return true;
              }
              d.navigate().refresh();
              return false;
            });
  }

  String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Signs in on Keycloak's login page, which the portal sent the browser to. */
  void signIn(String username, String password) {
    type("#username", username);
    type("#password", password);
    click("#kc-login");
  }

  void phoneWidth() {
    driver.manage().window().setSize(new Dimension(390, 844));
  }

  /**
   * Saves a screenshot of the whole page (not only what the window shows) as
   * target/screenshots/{name}.png, through Chromium's DevTools protocol.
   */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Number width = (Number) driver.executeScript("return document.documentElement.scrollWidth");
      Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
      Map<String, Object> shot =
          driver.executeCdpCommand(
              "Page.captureScreenshot",
              Map.of(
                  "format",
                  "png",
                  "captureBeyondViewport",
                  true,
                  "clip",
                  Map.of(
                      "x",
                      0,
                      "y",
                      0,
                      "width",
                      width,
                      "height",
                      Math.min(height.intValue(), 6000),
                      "scale",
                      1)));
      Files.write(
          SCREENSHOTS.resolve(name + ".png"),
          Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The elements that stick out past the window's right edge (a phone would have to scroll the page
   * sideways), innermost first; empty when the page fits.
   */
  @SuppressWarnings("unchecked")
  java.util.List<String> tooWide() {
    return (java.util.List<String>)
        driver.executeScript(
            """
            const limit = document.documentElement.clientWidth + 1;
            if (document.documentElement.scrollWidth <= limit) return [];
            return Array.from(document.querySelectorAll('body *'))
              .filter(e => e.getBoundingClientRect().right > limit)
              .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > limit))
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && e.className.baseVal === undefined ? '.' + e.className : '')
                        + ' ' + Math.round(e.getBoundingClientRect().right))
              .slice(0, 10);
            """);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
