package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.ServiceToken;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Deploys through runtime-bridge's REST API: {@code POST
 * /api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments {image, digest, buildId}} with this
 * service's token; runtime-bridge treats the build id as the idempotency key. A 4xx answer is a
 * final {@link Deployer.Refused refusal}, except 401 (this service's token refused: a new one may
 * pass), 408 and 429 (which ask to try again); 5xx and transport failures are not answers, and the
 * request is sent again. When {@code slipway.build.runtime-bridge-url} is empty, nothing is called
 * and the skip is logged.
 */
@Component
class RuntimeBridgeDeployer implements Deployer {

  private static final Logger log = LoggerFactory.getLogger(RuntimeBridgeDeployer.class);

  // runtime-bridge answers once the new revision is rolled out and healthy (its health-timeout,
  // 60 s by default): a request without an answer after this is abandoned and sent again later,
  // rather than holding the app's chain of deploy requests for ever
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  private static final Set<Integer> TRY_AGAIN = Set.of(401, 408, 429);

  private final String baseUrl;
  private final ServiceToken serviceToken;
  private final RestClient http;

  RuntimeBridgeDeployer(BuildProperties properties, ServiceToken serviceToken) {
    this.baseUrl = properties.runtimeBridgeUrl().replaceAll("/+$", "");
    this.serviceToken = serviceToken;
    JdkClientHttpRequestFactory requests =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build());
    requests.setReadTimeout(READ_TIMEOUT);
    this.http = RestClient.builder().requestFactory(requests).build();
  }

  @Override
  public String deploy(Deployment deployment) {
    if (baseUrl.isBlank()) {
      log.info(
          "Not deploying {} of {}/{}/{}: slipway.build.runtime-bridge-url is not set",
          deployment.digest(),
          deployment.tenant(),
          deployment.project(),
          deployment.app());
      return "deploy skipped: no runtime-bridge is configured";
    }
    // outside the try: Keycloak refusing this service's credentials is no answer from
    // runtime-bridge
    String token = serviceToken.get();
    try {
      http.post()
          .uri(
              baseUrl + "/api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments",
              deployment.tenant(),
              deployment.project(),
              deployment.app())
          .header("Authorization", "Bearer " + token)
          .contentType(MediaType.APPLICATION_JSON)
          .body(
              Map.of(
                  "image", deployment.image(),
                  "digest", deployment.digest(),
                  "buildId", deployment.buildId()))
          .retrieve()
          .toBodilessEntity();
    } catch (HttpClientErrorException e) {
      if (TRY_AGAIN.contains(e.getStatusCode().value())) {
        throw e;
      }
      throw new Refused(
          "runtime-bridge refused the deploy (" + e.getStatusCode().value() + "): " + detail(e));
    }
    return "deploy requested from runtime-bridge";
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
