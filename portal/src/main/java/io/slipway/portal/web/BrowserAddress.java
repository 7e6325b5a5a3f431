package io.slipway.portal.web;

import java.io.IOException;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Tells the services the browser's address for their audit trail: the portal is the services' peer,
 * so without it every change made in the portal would be recorded with the portal's address. Set,
 * never appended: an {@code X-Forwarded-For} the browser sent is not passed on. The services
 * believe it only from the portal (see {@code io.slipway.kit.audit.ClientAddress}).
 */
final class BrowserAddress {

  /** The header the services read the browser's address from. */
  static final String FORWARDED_FOR = "X-Forwarded-For";

  private BrowserAddress() {}

  /** A request interceptor: sets the header from the browser request being served, if any. */
  static ClientHttpResponse forward(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes browser) {
      request.getHeaders().set(FORWARDED_FOR, browser.getRequest().getRemoteAddr());
    } else {
      request.getHeaders().remove(FORWARDED_FOR);
    }
    return execution.execute(request, body);
  }
}
