package io.slipway.build.tenant;

import io.slipway.build.BuildProperties;
import org.springframework.stereotype.Component;

/** build-service's own access token: the shared client-credentials token with its settings. */
@Component
public final class ServiceToken extends io.slipway.kit.security.ServiceToken {

  public ServiceToken(BuildProperties properties) {
    super(
        properties.oidcIssuer(),
        properties.clientId(),
        properties.clientSecret(),
        "slipway.build.client-secret (SLIPWAY_BUILD_CLIENT_SECRET)");
  }
}
