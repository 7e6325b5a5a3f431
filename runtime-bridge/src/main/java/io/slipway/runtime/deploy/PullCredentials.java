package io.slipway.runtime.deploy;

import io.slipway.kit.client.BuildService;
import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.PullSecretRenderer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * A project's image pull credential, asked of build-service with runtime-bridge's own token for the
 * project's tenant by id (never a name a tenant chose): it pulls that tenant's images only.
 */
final class PullCredentials {

  private static final Logger log = LoggerFactory.getLogger(PullCredentials.class);

  private final BuildService buildService;

  PullCredentials(BuildService buildService) {
    this.buildService = buildService;
  }

  /** A new credential; empty when build-service's registry takes no login (404). */
  Optional<PullSecretRenderer.PullLogin> issue(AppRef ref) {
    BuildService.PullCredential credential;
    try {
      credential =
          buildService.pullCredential(
              new BuildService.PullCredentialRequest(ref.tenantId(), ref.projectId()));
    } catch (HttpClientErrorException.NotFound e) {
      return Optional.empty();
    } catch (RestClientResponseException e) {
      throw Problem.unavailable(
          "build-service answered "
              + e.getStatusCode().value()
              + " when asked for the project's image pull credential: "
              + e.getResponseBodyAsString());
    } catch (RestClientException e) {
      // the cause names internal addresses: the log keeps it, the answer does not
      log.warn("build-service could not be asked for a pull credential: {}", e.toString());
      throw Problem.unavailable(
          "build-service could not be asked for the project's image pull credential; retry"
              + " shortly");
    }
    return Optional.of(
        new PullSecretRenderer.PullLogin(
            credential.registry(), credential.username(), credential.password()));
  }
}
