package io.slipway.build.tenant;

import io.slipway.build.BuildProperties;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Verifies personal access tokens with tenant-service, for git pushes (scope {@code git}) and API
 * calls (scope {@code api}) alike.
 */
@Component
public final class TokenVerifier extends PersonalAccessTokenVerifier {

  TokenVerifier(BuildProperties properties, ServiceToken serviceToken) {
    super(
        URI.create(properties.tenantApiUrl()),
        serviceToken,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }
}
