package io.slipway.kit.client;

import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * runtime-bridge's image policy API (made by {@link ServiceClients#create}): the platform's floor,
 * each tenant's own policy and each project's, which admission applies at every deploy, and each
 * tenant's image retention. Apart from {@link RuntimeBridge}, whose calls all address one app.
 * Every call carries the caller's token: runtime-bridge decides who may read and change a policy.
 */
@HttpExchange(url = "/api/v1", accept = "application/json")
public interface RuntimePolicies {

  /**
   * An image policy as the API reads and writes it. In a tenant's policy an omitted field tightens
   * nothing; a floor must name {@code requireSigned}, {@code allowedRegistries} and {@code
   * maxSeverity}.
   *
   * @param maxSeverity NONE, LOW, MEDIUM, HIGH or CRITICAL: the worst vulnerability allowed
   * @param tenantWaiversAllowed (a floor's) whether tenants may waive advisories
   */
  record PolicyDocument(
      Boolean requireSigned,
      List<String> allowedRegistries,
      String maxSeverity,
      Boolean tenantWaiversAllowed,
      List<Waiver> waivers) {}

  /** A waiver: the advisory (or an alias such as the CVE), why, and until when. */
  record Waiver(String advisoryId, String reason, Instant expiresAt) {}

  /** A tenant's own policy, the platform's floor, and what applies (the stricter of both). */
  record TenantPolicy(
      String tenant, PolicyDocument policy, PolicyDocument floor, PolicyDocument effective) {}

  /** A project's own policy, its tenant's effective one, and what applies (the stricter). */
  record ProjectPolicy(
      String tenant,
      String project,
      PolicyDocument policy,
      PolicyDocument tenantEffective,
      PolicyDocument effective) {}

  @GetExchange("/admin/image-policy")
  PolicyDocument floor(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PutExchange("/admin/image-policy")
  PolicyDocument setFloor(
      @RequestBody PolicyDocument floor,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/image-policy")
  TenantPolicy tenantPolicy(
      @PathVariable String tenant, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Replaces the tenant's own policy whole. */
  @PutExchange("/tenants/{tenant}/image-policy")
  TenantPolicy setTenantPolicy(
      @PathVariable String tenant,
      @RequestBody PolicyDocument policy,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}/image-policy")
  ProjectPolicy projectPolicy(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Replaces the project's own policy whole (it holds no waivers). */
  @PutExchange("/tenants/{tenant}/projects/{project}/image-policy")
  ProjectPolicy setProjectPolicy(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestBody PolicyDocument policy,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * How many of each app's newest revisions keep their images in a tenant: what applies, its own
   * choice (null: the platform's default), the default and the most it may choose.
   */
  record Retention(
      String tenant, int revisions, Integer own, int defaultRevisions, int maxRevisions) {}

  /** A tenant's choice; {@code revisions} null goes back to the platform's default. */
  record RetentionChange(Integer revisions) {}

  @GetExchange("/tenants/{tenant}/image-retention")
  Retention retention(
      @PathVariable String tenant, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PutExchange("/tenants/{tenant}/image-retention")
  Retention setRetention(
      @PathVariable String tenant,
      @RequestBody RetentionChange change,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
