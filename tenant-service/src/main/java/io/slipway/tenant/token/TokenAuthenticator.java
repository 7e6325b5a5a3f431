package io.slipway.tenant.token;

import io.slipway.tenant.access.PersonalAccessTokens;
import io.slipway.tenant.access.TokenHolder;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Authenticates API calls made with a personal access token, for the access feature. */
@Component
class TokenAuthenticator implements PersonalAccessTokens {

  private final TokenStore store;

  TokenAuthenticator(TokenStore store) {
    this.store = store;
  }

  @Override
  public Optional<TokenHolder> authenticate(String token) {
    return store
        .findBySecret(token)
        .filter(stored -> stored.status() == TokenStatus.ACTIVE)
        .map(
            stored -> {
              store.recordUse(stored);
              return new TokenHolder(
                  stored.username(), stored.scopes(), String.valueOf(stored.id()));
            });
  }
}
