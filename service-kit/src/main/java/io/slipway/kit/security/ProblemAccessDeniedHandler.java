package io.slipway.kit.security;

import io.slipway.kit.problem.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers a request that the filter chain refused as the rest of the API answers errors: an RFC
 * 9457 problem ({@code forbidden}), or a more precise one a service gives for the caller's kind of
 * credentials (e.g. a personal access token without the scope the API needs).
 */
public final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

  private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
  private final Function<Authentication, Optional<Problem>> precise;

  public ProblemAccessDeniedHandler() {
    this(authentication -> Optional.empty());
  }

  /** {@code precise} gives the problem for a caller, or empty for the plain {@code forbidden}. */
  public ProblemAccessDeniedHandler(Function<Authentication, Optional<Problem>> precise) {
    this.precise = precise;
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    bearer.handle(request, response, e);
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    ProblemWriter.write(
        response,
        Optional.ofNullable(caller)
            .flatMap(precise)
            .orElseGet(() -> Problem.forbidden("You may not perform this operation")));
  }
}
