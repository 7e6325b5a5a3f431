package io.slipway.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.problem.Problem;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 from the filter chain leave as problem details, with the bearer challenge kept. */
class ProblemResponsesTest {

  private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/x");
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void anUnauthenticatedCallIsAProblemWithTheBearerChallenge() throws Exception {
    new ProblemEntryPoint()
        .commence(request, response, new InsufficientAuthenticationException("no token"));

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    JsonNode body = JsonMapper.shared().readTree(response.getContentAsString());
    assertThat(body.path("type").asString()).isEqualTo("https://slipway.io/problems/unauthorized");
    assertThat(body.path("title").asString()).isEqualTo("Unauthorized");
    assertThat(body.path("status").asInt()).isEqualTo(401);
    assertThat(body.path("detail").asString())
        .isEqualTo("A valid, unexpired bearer token is required");
  }

  @Test
  void aRefusedCallIsForbiddenUnlessTheServiceKnowsBetter() throws Exception {
    SecurityContextHolder.getContext()
        .setAuthentication(new TestingAuthenticationToken("alice", null, "SCOPE_git"));

    new ProblemAccessDeniedHandler().handle(request, response, new AccessDeniedException("no"));
    JsonNode plain = JsonMapper.shared().readTree(response.getContentAsString());
    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(plain.path("type").asString()).isEqualTo("https://slipway.io/problems/forbidden");
    assertThat(plain.path("detail").asString()).isEqualTo("You may not perform this operation");

    MockHttpServletResponse precise = new MockHttpServletResponse();
    new ProblemAccessDeniedHandler(
            caller ->
                Optional.of(
                    new Problem(
                            org.springframework.http.HttpStatus.FORBIDDEN,
                            "token-scope",
                            "Forbidden",
                            caller.getName() + "'s token lacks the scope api")
                        .with("scopes", java.util.List.of("git"))))
        .handle(request, precise, new AccessDeniedException("no"));
    JsonNode body = JsonMapper.shared().readTree(precise.getContentAsString());
    assertThat(precise.getStatus()).isEqualTo(403);
    assertThat(body.path("type").asString()).isEqualTo("https://slipway.io/problems/token-scope");
    assertThat(body.path("detail").asString()).isEqualTo("alice's token lacks the scope api");
    assertThat(body.path("scopes").get(0).asString()).isEqualTo("git");
  }
}
