package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router's pages are fixed text Caddy sends as they are: it would fill any {@code
 * {placeholder}} in a {@code static_response} body with request data, so no page has a brace.
 */
class RouterPagesTest {

  private final List<String> pages =
      List.of(
          RouterPages.NOT_FOUND_HTML,
          RouterPages.NOT_FOUND_TEXT,
          RouterPages.NOT_RUNNING_HTML,
          RouterPages.NOT_RUNNING_TEXT);

  @Test
  void noPageHasAPlaceholderCaddyWouldFill() {
    assertThat(pages).allSatisfy(page -> assertThat(page).doesNotContain("{", "}"));
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
