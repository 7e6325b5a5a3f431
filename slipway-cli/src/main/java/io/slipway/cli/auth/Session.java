package io.slipway.cli.auth;

import io.slipway.cli.api.ApiException;
import io.slipway.cli.api.Http;

/**
 * The stored credentials as a bearer token for every call: an access token close to expiry is
 * renewed with the refresh token before it is sent, and once more when a service refuses it, both
 * silently; the renewed tokens are stored at once.
 */
public final class Session implements Http.Bearer {

  private static final long EARLY_SECONDS = 20;

  private final Store store;
  private final Servers servers;
  private Credentials credentials;

  public Session(Store store, Servers servers) {
    this.store = store;
    this.servers = servers;
  }

  public Credentials credentials() {
    if (credentials == null) {
      credentials =
          store
              .read(Credentials.FILE, Credentials.class)
              .orElseThrow(
                  () ->
                      new ApiException(
                          401,
                          "not-logged-in",
                          "not logged in: run slipway-cli login (or slipway-cli login --token"
                              + " <token> in scripts)"));
    }
    return credentials;
  }

  @Override
  public String current() {
    Credentials c = credentials();
    if (c.oidc() && c.expiresAt() - EARLY_SECONDS < System.currentTimeMillis() / 1000) {
      return renew(c);
    }
    return c.accessToken();
  }

  @Override
  public String renewed() {
    Credentials c = credentials();
    return c.oidc() && c.refreshToken() != null ? renew(c) : null;
  }

  private String renew(Credentials c) {
    Oidc.Tokens tokens = new Oidc(servers).refresh(c.refreshToken());
    credentials = c.withTokens(tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt());
    store.write(Credentials.FILE, credentials);
    return credentials.accessToken();
  }

  /** Stores credentials as the current ones (after login, or with a git token added). */
  public void save(Credentials updated) {
    credentials = updated;
    store.write(Credentials.FILE, updated);
  }
}
