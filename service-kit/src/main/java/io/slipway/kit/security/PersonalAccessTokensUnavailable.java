package io.slipway.kit.security;

import org.springframework.security.core.AuthenticationException;

/**
 * tenant-service could not say whether a personal access token is good: neither the token's fault
 * nor a reason to drop it, so {@link ProblemEntryPoint} answers 503 (an {@code
 * AuthenticationServiceException} would be rethrown by Spring Security and end as a bare 500).
 */
final class PersonalAccessTokensUnavailable extends AuthenticationException {

  PersonalAccessTokensUnavailable(Throwable cause) {
    super("personal access tokens cannot be checked right now", cause);
  }
}
