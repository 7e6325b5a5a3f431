package io.slipway.tenant.access;

import java.util.function.Supplier;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may call the API at all: any authenticated caller, except that a personal access token needs
 * the {@code api} scope (a git-only token is for pushes). What the caller may then do is decided
 * per operation, by {@link TenantAccess}.
 */
final class ApiAccess implements AuthorizationManager<RequestAuthorizationContext> {

  private final AuthenticatedAuthorizationManager<RequestAuthorizationContext> authenticated =
      AuthenticatedAuthorizationManager.authenticated();

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext request) {
    if (authentication.get() instanceof PersonalAccessTokenAuthentication token) {
      return new AuthorizationDecision(token.has(TokenScope.API));
    }
    return authenticated.authorize(authentication, request);
  }
}
