package io.slipway.kit.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A bearer token could not be checked at all: tenant-service could not say whether a personal
 * access token is good, or the identity provider's signing keys could not be fetched. Neither is
 * the token's fault nor a reason to drop it, so {@link ProblemEntryPoint} answers 503 with this
 * message (an {@code AuthenticationServiceException} would be rethrown by Spring Security and end
 * as a bare 500).
 */
final class TokensUncheckable extends AuthenticationException {

  static final String PERSONAL_ACCESS_TOKENS = "personal access tokens cannot be checked right now";

  static final String IDENTITY_PROVIDER =
      "sign-in tokens cannot be checked right now: the identity provider's keys cannot be fetched";

  TokensUncheckable(String what, Throwable cause) {
    super(what, cause);
  }
}
