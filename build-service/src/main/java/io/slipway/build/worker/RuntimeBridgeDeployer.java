package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.ServiceToken;
import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.ServiceClients;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;

/**
 * Deploys through runtime-bridge's REST API: {@code POST
 * /api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments {image, digest, buildId, buildNumber,
 * commit, fork?}} with this service's token ({@code fork: true} for a fork's pull request);
 * runtime-bridge treats the build id as the idempotency key. Its answer, the revision made for the
 * build, says whether it went live (the app's URL is then read from its deployments view) or failed
 * and why. A 4xx answer is a final {@link Deployer.Refused refusal}, except 401 (this service's
 * token refused: a new one may pass), 408 and 429 (which ask to try again); 5xx and transport
 * failures are not answers, and the request is sent again. When {@code
 * slipway.build.runtime-bridge-url} is empty, nothing is called and the skip is logged.
 */
@Component
class RuntimeBridgeDeployer implements Deployer {

  private static final Logger log = LoggerFactory.getLogger(RuntimeBridgeDeployer.class);

  // runtime-bridge holds its answer (the client sends Prefer: wait,
  // RuntimeBridge.DEPLOY_WAIT_SECONDS)
  // until the new revision's release phase has run (its release-timeout, 10 min by default) and
  // the revision is rolled out and healthy (its health-timeout, 60 s by default): a request without
  // an answer after this is abandoned and sent again later, rather than holding the app's chain of
  // deploy requests for ever
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(15);

  private static final Set<Integer> TRY_AGAIN = Set.of(401, 408, 429);

  private final String baseUrl;
  private final ServiceToken serviceToken;
  private final RuntimeBridge runtimeBridge;

  RuntimeBridgeDeployer(BuildProperties properties, ServiceToken serviceToken) {
    this.baseUrl = properties.runtimeBridgeUrl().replaceAll("/+$", "");
    this.serviceToken = serviceToken;
    this.runtimeBridge =
        baseUrl.isBlank()
            ? null
            : ServiceClients.create(
                RuntimeBridge.class, URI.create(baseUrl), serviceToken::get, READ_TIMEOUT);
  }

  @Override
  public Outcome deploy(Deployment deployment) {
    if (baseUrl.isBlank()) {
      log.info(
          "Not deploying {} of {}/{}/{}: slipway.build.runtime-bridge-url is not set",
          deployment.digest(),
          deployment.tenant(),
          deployment.project(),
          deployment.app());
      return new Outcome("skipped", null, null, "no runtime-bridge is configured");
    }
    // outside the try: Keycloak refusing this service's credentials is no answer from
    // runtime-bridge (the token is reused for the call)
    serviceToken.get();
    RuntimeBridge.Revision revision;
    try {
      revision =
          runtimeBridge.deploy(
              deployment.tenant(),
              deployment.project(),
              deployment.app(),
              new RuntimeBridge.DeployRequest(
                  deployment.image(),
                  deployment.digest(),
                  deployment.buildId(),
                  deployment.buildNumber(),
                  deployment.commit(),
                  deployment.fork() ? Boolean.TRUE : null));
    } catch (HttpClientErrorException e) {
      if (TRY_AGAIN.contains(e.getStatusCode().value())) {
        throw e;
      }
      throw new Refused(
          "runtime-bridge refused the deploy (" + e.getStatusCode().value() + "): " + detail(e));
    }
    if (revision == null || revision.status() == null) {
      return new Outcome("requested", null, null, null);
    }
    return switch (revision.status()) {
      // retired: a repeated request, answered with a revision that went live and was replaced since
      // (or, by a wait, one that a later deploy replaced within the moment it was asked)
      case "live", "retired" -> new Outcome("live", revision.revision(), url(deployment), null);
      case "failed" ->
          new Outcome(
              "failed",
              revision.revision(),
              null,
              revision.reason() == null ? "see the app's events" : revision.reason());
      // pending or deploying: the wait ran out before the rollout ended (runtime-bridge goes on)
      default -> new Outcome("requested", revision.revision(), null, null);
    };
  }

  /** Where the app answers; null when runtime-bridge does not say (the deploy is done anyway). */
  private String url(Deployment deployment) {
    try {
      RuntimeBridge.Deployments app =
          runtimeBridge.deployments(deployment.tenant(), deployment.project(), deployment.app());
      return app == null ? null : app.url();
    } catch (RuntimeException e) {
      log.info("Could not read the URL of {}: {}", deployment.app(), e.toString());
      return null;
    }
  }

  /** The problem detail's {@code detail}, else the status text. */
  private static String detail(HttpClientErrorException e) {
    try {
      ProblemBody problem = e.getResponseBodyAs(ProblemBody.class);
      if (problem != null && problem.detail() != null && !problem.detail().isBlank()) {
        return problem.detail();
      }
    } catch (RuntimeException unreadable) {
      // not a problem document: the status text says enough
    }
    return e.getStatusText();
  }

  record ProblemBody(String detail) {}
}
