package io.slipway.runtime.egress;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.tenant.AuditEvents;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.runtime.tenant.TenantApi.ProjectAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's egress: whether its apps may open connections to the outside. Every member reads it;
 * only the tenant's admins (or a platform admin) change it; anyone else gets 404. The host and
 * other projects stay closed either way. A change is audited in the transaction that stores it,
 * before the firewall follows it.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/egress")
class EgressController {

  /** The setting as the API shows it. */
  record EgressView(String tenant, String project, boolean allowed) {}

  /** The change a tenant admin asks for. */
  record EgressRequest(@NotNull Boolean allowed) {}

  private final TenantApi tenants;
  private final ProjectEgress egress;
  private final RuntimeDriver driver;
  private final AuditEvents audit;
  private final TransactionTemplate tx;

  EgressController(
      TenantApi tenants,
      ProjectEgress egress,
      RuntimeDriver driver,
      AuditEvents audit,
      TransactionTemplate tx) {
    this.tx = tx;
    this.tenants = tenants;
    this.egress = egress;
    this.driver = driver;
    this.audit = audit;
  }

  @GetMapping
  EgressView get(
      @PathVariable String tenant,
      @PathVariable String project,
      @AuthenticationPrincipal Jwt caller) {
    ProjectAccess access = tenants.requireProject(tenant, project, caller.getTokenValue());
    return new EgressView(tenant, project, egress.allowed(access.projectId()));
  }

  @PutMapping
  EgressView set(
      @PathVariable String tenant,
      @PathVariable String project,
      @Valid @RequestBody EgressRequest request,
      @AuthenticationPrincipal Jwt caller) {
    ProjectAccess access = tenants.requireProject(tenant, project, caller.getTokenValue());
    if (!access.tenantAdmin()) {
      throw Problem.forbidden(
          "Changing project " + project + "'s egress needs the tenant-admin role in " + tenant);
    }
    tx.executeWithoutResult(
        status -> {
          egress.set(
              access.tenantId(), access.projectId(), request.allowed(), AuditEvents.actor(caller));
          audit.record(
              caller,
              tenant,
              request.allowed() ? "egress.allowed" : "egress.denied",
              tenant + "/" + project,
              Map.of("projectId", access.projectId(), "allowed", request.allowed()));
        });
    driver.egressChanged(access.projectId());
    return new EgressView(tenant, project, request.allowed());
  }
}
