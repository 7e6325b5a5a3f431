package io.slipway.build.tenant;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import org.springframework.stereotype.Component;

/**
 * Verifies personal access tokens with tenant-service, for git pushes (scope {@code git}) and API
 * calls (scope {@code api}) alike.
 */
@Component
public final class TokenVerifier extends PersonalAccessTokenVerifier {

  TokenVerifier(TenantService tenantService) {
    super(tenantService);
  }
}
