package io.slipway.tenant.access;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a bearer token that is a personal access token. A token that is unknown, revoked or
 * expired fails like a bad JWT: 401 through the resource server's entry point.
 */
final class PersonalAccessTokenProvider implements AuthenticationProvider {

  private final PersonalAccessTokens tokens;

  PersonalAccessTokenProvider(PersonalAccessTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    return tokens
        .authenticate(token)
        .map(PersonalAccessTokenAuthentication::new)
        .orElseThrow(
            () ->
                new InvalidBearerTokenException(
                    "The personal access token is unknown, revoked or expired"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
