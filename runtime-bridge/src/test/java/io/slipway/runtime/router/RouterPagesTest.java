package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router's pages are fixed text Caddy sends as they are: it would fill any {@code
 * {placeholder}} in a {@code static_response} body with request data, so no page has a brace.
 */
class RouterPagesTest {

  private static final String LINK = "https://portal.example.test/t/acme/p/shop/a/web";

  private final List<String> pages =
      List.of(
          RouterPages.NOT_FOUND_HTML,
          RouterPages.NOT_FOUND_TEXT,
          RouterPages.NOT_RUNNING_HTML,
          RouterPages.NOT_RUNNING_TEXT);

  @Test
  void noPageHasAPlaceholderCaddyWouldFill() {
    assertThat(pages).allSatisfy(page -> assertThat(page).doesNotContain("{", "}"));
    for (Parked why : Parked.values()) {
      for (Optional<String> link : List.of(Optional.<String>empty(), Optional.of(LINK))) {
        assertThat(RouterPages.parkedHtml(why, link)).doesNotContain("{", "}");
        assertThat(RouterPages.parkedText(why, link)).doesNotContain("{", "}").endsWith("\n");
      }
    }
  }

  @Test
  void eachParkedPageSaysWhichStateAndOnlyTheTransientOnesAskToComeBack() throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    assertThat(RouterPages.parkedText(Parked.NOT_DEPLOYED, Optional.of(LINK)))
        .isEqualTo(
            "This app has not been deployed yet. It answers here once its first deploy is live."
                + " If the app is yours, its page shows its status and logs: "
                + LINK
                + "\n");
    assertThat(RouterPages.parkedHtml(Parked.FAILED, Optional.of(LINK)))
        .contains(
            "<title>App failed to start</title>", "<a href=\"" + LINK + "\">" + LINK + "</a>");
    assertThat(RouterPages.parkedHtml(Parked.CRASHED, Optional.empty()))
        .contains("This app has crashed.")
        .doesNotContain("href");
    for (Parked why : Parked.values()) {
      String handler = json.writeValueAsString(RouterPages.parked(why, Optional.of(LINK)));
      assertThat(handler).contains("\"status_code\":503");
      assertThat(handler.contains("Retry-After"))
          .as(why.name())
          .isEqualTo(why == Parked.STARTING || why == Parked.CRASHED || why == Parked.BOOTING);
    }
  }

  @Test
  void aPortalUrlThatCouldInjectIsRefusedAndTheLinkNeedsAHostThatNamesTheApp() {
    assertThatThrownBy(() -> new AppLinks("https://portal.test/{http.request.host}", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppLinks("https://portal.test/\"><script>", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    AppLinks links = new AppLinks("https://portal.test/", "apps.test");
    AppRef named = Specs.ref("acme", "shop", "web");
    assertThat(links.appPage(named)).contains("https://portal.test/t/acme/p/shop/a/web");
    assertThat(links.ownHost(named)).isEqualTo("web--shop--acme.apps.apps.test");
    AppRef atId =
        new AppRef(
            "acme",
            "shop",
            "web",
            named.tenantId(),
            named.projectId(),
            named.appId(),
            named.appId());
    assertThat(links.appPage(atId)).isEmpty();
    assertThat(AppLinks.NONE.appPage(named)).isEmpty();
  }

  @Test
  void theCatchAllAndTheErrorRoutesCarryExactlyThesePages() throws Exception {
    String catchAll =
        JsonMapper.builder().build().writeValueAsString(RouterPages.catchAll("slipway-no-app-x"));
    String errors = JsonMapper.builder().build().writeValueAsString(RouterPages.errors());
    assertThat(catchAll).contains("\"status_code\":404").doesNotContain("http.request");
    assertThat(errors)
        .contains("\"status_code\":503", "\"Retry-After\":[\"5\"]")
        .doesNotContain("http.request");
  }
}
