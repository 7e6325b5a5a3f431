package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.ServiceToken;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Deploys through runtime-bridge's REST API: {@code POST
 * /api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments {image, digest, buildId}} with this
 * service's token; runtime-bridge treats the build id as the idempotency key. When {@code
 * slipway.build.runtime-bridge-url} is empty, nothing is called and the skip is logged.
 */
@Component
class RuntimeBridgeDeployer implements Deployer {

  private static final Logger log = LoggerFactory.getLogger(RuntimeBridgeDeployer.class);

  private final String baseUrl;
  private final ServiceToken serviceToken;
  private final RestClient http = RestClient.create();

  RuntimeBridgeDeployer(BuildProperties properties, ServiceToken serviceToken) {
    this.baseUrl = properties.runtimeBridgeUrl().replaceAll("/+$", "");
    this.serviceToken = serviceToken;
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
    http.post()
        .uri(
            baseUrl + "/api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments",
            deployment.tenant(),
            deployment.project(),
            deployment.app())
        .header("Authorization", "Bearer " + serviceToken.get())
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            Map.of(
                "image", deployment.image(),
                "digest", deployment.digest(),
                "buildId", deployment.buildId()))
        .retrieve()
        .toBodilessEntity();
    return "deploy requested from runtime-bridge";
  }
}
