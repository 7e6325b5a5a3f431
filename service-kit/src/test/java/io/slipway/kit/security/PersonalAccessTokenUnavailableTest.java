package io.slipway.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A personal access token that cannot be checked because tenant-service does not answer (or answers
 * nonsense) gets 503 {@code unavailable}, to retry: not a bare 500, and not a 401 that would tell
 * the caller to drop a token that may well be good. Through Spring Security's bearer-token filter,
 * with the entry point every service uses.
 */
class PersonalAccessTokenUnavailableTest {

  private static final String TOKEN = PersonalAccessTokenVerifier.PREFIX + "a".repeat(40);

  @Test
  void anUnreachableTenantServiceIsA503ToRetry() throws Exception {
    int closed;
    try (ServerSocket free = new ServerSocket(0)) {
      closed = free.getLocalPort();
    }
    MockHttpServletResponse response = call(verifierAt(URI.create("http://127.0.0.1:" + closed)));
    assertUnavailable(response);
  }

  @Test
  void aTenantServiceAnsweringNonsenseIsA503Too() throws Exception {
    HttpServer tenantService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tenantService.createContext(
        "/",
        exchange -> {
          byte[] body = "<html>not json</html>".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    tenantService.start();
    try {
      URI at = URI.create("http://127.0.0.1:" + tenantService.getAddress().getPort());
      assertUnavailable(call(verifierAt(at)));
    } finally {
      tenantService.stop(0);
    }
  }

  private static void assertUnavailable(MockHttpServletResponse response) throws Exception {
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
    JsonNode problem = JsonMapper.shared().readTree(response.getContentAsString());
    assertThat(problem.path("type").asString())
        .isEqualTo("https://slipway.io/problems/unavailable");
    assertThat(problem.path("status").asInt()).isEqualTo(503);
    assertThat(problem.path("detail").asString())
        .isEqualTo("personal access tokens cannot be checked right now; retry shortly");
  }

  private static MockHttpServletResponse call(PersonalAccessTokenVerifier verifier)
      throws Exception {
    BearerTokenAuthenticationFilter filter =
        new BearerTokenAuthenticationFilter(
            new ProviderManager(new PersonalAccessTokenProvider(verifier)));
    filter.setAuthenticationEntryPoint(new ProblemEntryPoint());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/anything");
    request.addHeader("Authorization", "Bearer " + TOKEN);
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    assertThat(chain.getRequest()).as("the request went no further").isNull();
    return response;
  }

  private static PersonalAccessTokenVerifier verifierAt(URI tenantService) {
    return new PersonalAccessTokenVerifier(
        ServiceClients.create(TenantService.class, tenantService, () -> "service-token"));
  }
}
