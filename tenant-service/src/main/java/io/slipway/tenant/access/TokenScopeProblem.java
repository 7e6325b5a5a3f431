package io.slipway.tenant.access;

import io.slipway.kit.problem.Problem;
import java.util.Optional;
import org.springframework.security.core.Authentication;

/**
 * Why a request that {@link ApiAccess} refused was refused, when the caller can fix it: a personal
 * access token without the {@code api} scope is told which scopes it has.
 */
final class TokenScopeProblem {

  private TokenScopeProblem() {}

  static Optional<Problem> of(Authentication caller) {
    if (caller instanceof PersonalAccessTokenAuthentication token && !token.has(TokenScope.API)) {
      return Optional.of(
          new Problem(
                  org.springframework.http.HttpStatus.FORBIDDEN,
                  "token-scope",
                  "Forbidden",
                  "This personal access token has the scopes "
                      + String.join(", ", token.scopeNames())
                      + "; the API needs a token with the scope api")
              .with("scopes", token.scopeNames()));
    }
    return Optional.empty();
  }
}
