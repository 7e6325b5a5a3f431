package io.slipway.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The portal tells the services the browser's address, and only that. */
class ForwardedAddressTest {

  private final List<String> sent = new ArrayList<>();

  @AfterEach
  void clear() {
    RequestContextHolder.resetRequestAttributes();
  }

  @Test
  void theBrowsersAddressReplacesWhateverTheBrowserClaimed() throws Exception {
    MockHttpServletRequest browser = new MockHttpServletRequest("POST", "/t/acme");
    browser.setRemoteAddr("198.51.100.23");
    browser.addHeader("X-Forwarded-For", "203.0.113.66");
    RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(browser));

    MockClientHttpRequest call = new MockClientHttpRequest(HttpMethod.PUT, URI.create("/x"));
    call.getHeaders().add("X-Forwarded-For", "203.0.113.66");
    BrowserAddress.forward(call, new byte[0], this::record);

    assertThat(sent).containsExactly("198.51.100.23");
  }

  @Test
  void outsideABrowsersRequestNoAddressIsForwarded() throws Exception {
    MockClientHttpRequest call = new MockClientHttpRequest(HttpMethod.GET, URI.create("/x"));
    call.getHeaders().add("X-Forwarded-For", "203.0.113.66");
    BrowserAddress.forward(call, new byte[0], this::record);

    assertThat(sent).containsExactly((String) null);
  }

  private MockClientHttpResponse record(org.springframework.http.HttpRequest request, byte[] body) {
    List<String> values = request.getHeaders().get("X-Forwarded-For");
    sent.add(values == null ? null : String.join(",", values));
    return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
  }
}
