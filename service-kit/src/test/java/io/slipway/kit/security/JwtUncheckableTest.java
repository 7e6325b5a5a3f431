package io.slipway.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JWT that cannot be checked because the identity provider does not answer gets one more try,
 * then 503 {@code unavailable} to retry: not a bare 500 (what Spring Security answers when the
 * signing keys or the issuer's metadata cannot be fetched), and not a 401 that would tell the
 * caller its token is bad. A bad token is still a 401, at once. Through Spring Security's
 * bearer-token filter and a real decoder fetching keys over HTTP from a server played here.
 */
class JwtUncheckableTest {

  private final RSAKey key = key();
  private final AtomicInteger fetches = new AtomicInteger();
  private int failFirst;
  private HttpServer keys;

  @BeforeEach
  void serveKeys() throws Exception {
    keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String set = new JWKSet(key.toPublicJWK()).toString();
    keys.createContext(
        "/certs",
        exchange -> {
          boolean fail = fetches.incrementAndGet() <= failFirst;
          byte[] body = (fail ? "busy" : set).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    keys.start();
  }

  @AfterEach
  void stop() {
    keys.stop(0);
    SecurityContextHolder.clearContext();
  }

  @Test
  void oneFailedKeyFetchIsTriedAgainAndTheTokenAccepted() throws Exception {
    failFirst = 1;
    MockFilterChain chain = new MockFilterChain();
    MockHttpServletResponse response = call(decoder(), sign(key), chain);
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(chain.getRequest()).as("the request went on").isNotNull();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void keysThatCannotBeFetchedAre503ToRetry() throws Exception {
    failFirst = Integer.MAX_VALUE;
    assertUnavailable(call(decoder(), sign(key), new MockFilterChain()));
    assertThat(fetches).as("fetched once, then once more").hasValue(2);
  }

  @Test
  void anUnreachableIssuerIsA503Too() throws Exception {
    int closed;
    try (ServerSocket free = new ServerSocket(0)) {
      closed = free.getLocalPort();
    }
    JwtDecoder discovering =
        new SupplierJwtDecoder(
            () -> JwtDecoders.fromIssuerLocation("http://127.0.0.1:" + closed + "/realms/x"));
    assertUnavailable(call(discovering, sign(key), new MockFilterChain()));
  }

  @Test
  void aForgedTokenIsStillA401AndNotTriedAgain() throws Exception {
    MockHttpServletResponse response = call(decoder(), sign(key()), new MockFilterChain());
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(fetches).hasValue(1);
  }

  private NimbusJwtDecoder decoder() {
    return NimbusJwtDecoder.withJwkSetUri(
            "http://127.0.0.1:" + keys.getAddress().getPort() + "/certs")
        .build();
  }

  private static void assertUnavailable(MockHttpServletResponse response) throws Exception {
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
    JsonNode problem = JsonMapper.shared().readTree(response.getContentAsString());
    assertThat(problem.path("type").asString())
        .isEqualTo("https://slipway.io/problems/unavailable");
    assertThat(problem.path("detail").asString())
        .isEqualTo(
            "sign-in tokens cannot be checked right now: the identity provider's keys cannot be"
                + " fetched; retry shortly");
  }

  private static MockHttpServletResponse call(
      JwtDecoder decoder, String token, MockFilterChain chain) throws Exception {
    BearerTokenAuthenticationFilter filter =
        new BearerTokenAuthenticationFilter(
            new ProviderManager(new JwtProvider(decoder, null, Duration.ofMillis(10))));
    filter.setAuthenticationEntryPoint(new ProblemEntryPoint());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/anything");
    request.addHeader("Authorization", "Bearer " + token);
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, chain);
    return response;
  }

  private static String sign(RSAKey key) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("alice")
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static RSAKey key() {
    try {
      return new RSAKeyGenerator(2048).keyID("signing").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
