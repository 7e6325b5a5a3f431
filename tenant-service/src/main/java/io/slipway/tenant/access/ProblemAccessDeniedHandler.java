package io.slipway.tenant.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request that {@link ApiAccess} refused as the rest of the API answers errors: an RFC
 * 9457 problem. A personal access token without the {@code api} scope is told which scopes it has.
 */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

  private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    bearer.handle(request, response, e);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    JsonMapper.shared().writeValue(response.getOutputStream(), problem());
  }

  private static Map<String, Object> problem() {
    Map<String, Object> problem = new LinkedHashMap<>();
    if (SecurityContextHolder.getContext().getAuthentication()
            instanceof PersonalAccessTokenAuthentication token
        && !token.has(TokenScope.API)) {
      problem.put("type", "https://slipway.io/problems/token-scope");
      problem.put("title", "Forbidden");
      problem.put("status", 403);
      problem.put(
          "detail",
          "This personal access token has the scopes "
              + String.join(", ", token.scopeNames())
              + "; the API needs a token with the scope api");
      problem.put("scopes", token.scopeNames());
    } else {
      problem.put("type", "https://slipway.io/problems/forbidden");
      problem.put("title", "Forbidden");
      problem.put("status", 403);
      problem.put("detail", "You may not perform this operation");
    }
    return problem;
  }
}
