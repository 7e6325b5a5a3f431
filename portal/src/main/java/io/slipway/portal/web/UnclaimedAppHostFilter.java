package io.slipway.portal.web;

import io.slipway.portal.PortalProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * On Kubernetes the apps' wildcard domain falls through to the portal when no app claims a host.
 * Such a request gets a plain 404 page that says so, never the console, a sign-in or a session.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnclaimedAppHostFilter extends OncePerRequestFilter {

  private final String suffix;

  UnclaimedAppHostFilter(PortalProperties properties) {
    String domain = properties.appsDomain().strip().toLowerCase(Locale.ROOT);
    this.suffix = domain.isEmpty() ? null : "." + domain;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String host = request.getServerName().toLowerCase(Locale.ROOT);
    if (suffix == null || !host.endsWith(suffix)) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_NOT_FOUND);
    response.setContentType("text/html;charset=UTF-8");
    response
        .getWriter()
        .write(
            """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>No app here</title></head><body>
            <h1>No app answers at %s</h1>
            <p>No app is deployed at this address, or it was removed. Apps answer at
            &lt;app&gt;-&lt;project&gt;-&lt;tenant&gt;%s once their first deploy is live.</p>
            </body></html>
            """
                .formatted(HtmlUtils.htmlEscape(host), HtmlUtils.htmlEscape(suffix)));
  }
}
