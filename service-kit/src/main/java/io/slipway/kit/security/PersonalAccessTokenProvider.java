package io.slipway.kit.security;

import io.slipway.kit.security.PersonalAccessTokenVerifier.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a personal access token through tenant-service. A token that is unknown, revoked or
 * expired fails like a bad JWT (401); a good token without the API scope is authenticated, so that
 * {@link ApiSecurity}'s rule refuses it with 403 naming the scope it lacks. When tenant-service
 * cannot answer (down, or answering nonsense), the caller gets 503 and the cause goes to the log.
 */
final class PersonalAccessTokenProvider implements AuthenticationProvider {

  private static final Logger log = LoggerFactory.getLogger(PersonalAccessTokenProvider.class);

  private final PersonalAccessTokenVerifier verifier;

  PersonalAccessTokenProvider(PersonalAccessTokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    Verification verified;
    try {
      verified = verifier.verify(token, ApiSecurity.API_SCOPE, null);
    } catch (RuntimeException e) {
      log.warn("A personal access token could not be verified: {}", e.toString());
      throw new TokensUncheckable(TokensUncheckable.PERSONAL_ACCESS_TOKENS, e);
    }
    if (!verified.granted() && !verified.onlyMissingScope()) {
      throw new InvalidBearerTokenException(
          "The personal access token is unknown, revoked or expired");
    }
    return new PersonalAccessTokenAuthentication(
        token, verified.username(), verified.tokenId(), verified.scopes(), verified.expiresAt());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
