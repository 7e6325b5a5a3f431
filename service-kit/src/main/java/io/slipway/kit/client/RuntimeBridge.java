package io.slipway.kit.client;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * runtime-bridge's API as the other services call it: the one declarative client of it (made by
 * {@link ServiceClients#create}). runtime-bridge accepts a deploy at once (202) and rolls it out
 * afterwards; this client asks it, with {@code Prefer: wait} (RFC 7240), to answer once the
 * revision is live or failed, up to {@link #DEPLOY_WAIT_SECONDS}, so its read timeout must be
 * longer than that. A rollout that takes longer is answered 202 with the revision still on its way.
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

  /**
   * How long a deploy asks runtime-bridge to hold its answer for the rollout: a release phase (10
   * min by default) and a health check fit, and a 15-minute read timeout is not reached first.
   */
  int DEPLOY_WAIT_SECONDS = 840;

  @PostExchange(value = "/deployments", headers = "Prefer=wait=" + DEPLOY_WAIT_SECONDS)
  Revision deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody DeployRequest request);

  @GetExchange("/deployments")
  Deployments deployments(
      @PathVariable String tenant, @PathVariable String project, @PathVariable String app);
}
