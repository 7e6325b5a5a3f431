package io.slipway.build.registry;

import io.slipway.build.governance.RuntimeBridgeCaller;
import io.slipway.kit.problem.Problem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's image pull credential, for runtime-bridge's kubernetes driver (its client-credentials
 * token only), which keeps it in the project's namespace as the pods' {@code imagePullSecrets}.
 * Each call issues a new password, replacing the project's previous one. Absent (404) when the
 * registry takes no token auth: pulls are then anonymous and need no Secret.
 */
@RestController
@ConditionalOnProperty(name = "slipway.build.registry.auth.enabled", havingValue = "true")
class PullCredentialController {

  /** Whose namespace the credential is for, by immutable ids. */
  record PullCredentialRequest(String tenantId, String projectId) {}

  /** The registry ({@code host[:port]}) and how to log in to it. */
  record PullCredential(String registry, String username, String password) {}

  private final RegistryPullCredentials credentials;
  private final String registry;

  PullCredentialController(
      RegistryPullCredentials credentials,
      @Value("${slipway.build.registry.url}") String registry) {
    this.credentials = credentials;
    this.registry = registry;
  }

  @PostMapping("/api/v1/internal/registry/pull-credentials")
  PullCredential issue(
      @AuthenticationPrincipal Jwt caller, @RequestBody PullCredentialRequest request) {
    RuntimeBridgeCaller.require(caller, "get image pull credentials");
    if (request == null || request.tenantId() == null || request.projectId() == null) {
      throw Problem.invalid("invalid-pull-credential", "tenantId and projectId are required");
    }
    RegistryPullCredentials.PullLogin login;
    try {
      login =
          credentials
              .issue(request.tenantId(), request.projectId())
              .orElseThrow(
                  () ->
                      Problem.conflict(
                          "project-of-another-tenant",
                          "Project "
                              + request.projectId()
                              + " has a pull credential of another tenant than "
                              + request.tenantId()));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("invalid-pull-credential", e.getMessage());
    }
    return new PullCredential(registry, login.username(), login.password());
  }
}
