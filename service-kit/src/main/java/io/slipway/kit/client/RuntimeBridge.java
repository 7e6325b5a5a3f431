package io.slipway.kit.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * runtime-bridge's API as the other services call it: the one declarative client of it (made by
 * {@link ServiceClients#create}). A deploy is answered once its revision is rolled out and healthy,
 * so its client needs a read timeout longer than a rollout.
 */
@HttpExchange(
    url = "/api/v1/tenants/{tenant}/projects/{project}/apps/{app}",
    accept = "application/json")
public interface RuntimeBridge {

  /**
   * A deploy of a built image; runtime-bridge treats {@code buildId} as the idempotency key.
   *
   * @param commit the commit the image was built from, shown beside the revision
   */
  record DeployRequest(
      String image, String digest, String buildId, int buildNumber, String commit) {}

  /** The revision a deploy made: {@code live}, {@code failed} (with a reason) or on its way. */
  record Revision(Integer revision, String status, String reason) {}

  /** The part of an app's deployments view the other services read: where it answers. */
  record Deployments(String url) {}

  @PostExchange("/deployments")
  Revision deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody DeployRequest request);

  @GetExchange("/deployments")
  Deployments deployments(
      @PathVariable String tenant, @PathVariable String project, @PathVariable String app);

  // ---- as the portal calls it, always with the signed-in user's token ----

  /**
   * A deploy of an image as a user asks for it; null fields take runtime-bridge's defaults.
   *
   * @param port the port the app listens on (null: the image's, else 8080)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ImageDeploy(String image, Integer port) {}

  /** Deploys {@code request}'s image as the caller. */
  @PostExchange("/deployments")
  Revision deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody ImageDeploy request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
