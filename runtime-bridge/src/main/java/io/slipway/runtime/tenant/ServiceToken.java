package io.slipway.runtime.tenant;

/**
 * runtime-bridge's own access token: the shared client-credentials token with its settings. Without
 * a secret, every call that needs it fails and names the setting.
 */
public class ServiceToken extends io.slipway.kit.security.ServiceToken {

  public ServiceToken(String issuer, String clientId, String clientSecret) {
    super(
        issuer,
        clientId,
        clientSecret,
        "slipway.runtime.client-secret (SLIPWAY_RUNTIME_CLIENT_SECRET)");
  }
}
