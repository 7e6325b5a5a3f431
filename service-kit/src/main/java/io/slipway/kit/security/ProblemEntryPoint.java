package io.slipway.kit.security;

import io.slipway.kit.problem.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers an unauthenticated request as the rest of the API answers errors: an RFC 9457 problem,
 * plus the {@code WWW-Authenticate} header that bearer-token clients expect. When the token could
 * not be checked at all (tenant-service or the identity provider down), a 503 to retry instead: the
 * token may well be good.
 */
public final class ProblemEntryPoint implements AuthenticationEntryPoint {

  private final BearerTokenAuthenticationEntryPoint bearer =
      new BearerTokenAuthenticationEntryPoint();

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof TokensUncheckable) {
      ProblemWriter.write(response, Problem.unavailable(e.getMessage() + "; retry shortly"));
      return;
    }
    bearer.commence(request, response, e);
    ProblemWriter.write(
        response,
        Problem.unauthorized("unauthorized", "A valid, unexpired bearer token is required"));
  }
}
