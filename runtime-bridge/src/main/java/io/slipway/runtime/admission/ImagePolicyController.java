package io.slipway.runtime.admission;

import io.slipway.governance.policy.ImagePolicy;
import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.problem.Problem;
import io.slipway.runtime.tenant.AuditEvents;
import io.slipway.runtime.tenant.TenantApi;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Image policies: the platform admin's floor, each tenant's tightening of it, and each project's
 * tightening of its tenant's (tenant-admins write, every member reads; anyone else gets 404). What
 * applies is always {@link ImagePolicy#tighten}, so a tenant can never loosen the floor nor a
 * project its tenant's: a project's policy holds no waivers.
 */
@RestController
class ImagePolicyController {

  /** A tenant's policy, the floor, and what applies. */
  record TenantPolicyView(
      String tenant, PolicyDocument policy, PolicyDocument floor, PolicyDocument effective) {}

  /** A project's policy, its tenant's effective policy, and what applies to the project's apps. */
  record ProjectPolicyView(
      String tenant,
      String project,
      PolicyDocument policy,
      PolicyDocument tenantEffective,
      PolicyDocument effective) {}

  private final ImagePolicies policies;
  private final CallerAccess access;
  private final TenantApi tenants;

  private final AuditEvents audit;

  private final TransactionTemplate tx;

  ImagePolicyController(
      ImagePolicies policies,
      CallerAccess access,
      TenantApi tenants,
      AuditEvents audit,
      TransactionTemplate tx) {
    this.tenants = tenants;
    this.tx = tx;
    this.policies = policies;
    this.access = access;
    this.audit = audit;
  }

  @GetMapping("/api/v1/admin/image-policy")
  PolicyDocument floor(@AuthenticationPrincipal Jwt caller) {
    CallerAccess.requirePlatformAdmin(caller);
    return PolicyDocument.of(policies.floor());
  }

  @PutMapping("/api/v1/admin/image-policy")
  PolicyDocument setFloor(@AuthenticationPrincipal Jwt caller, @RequestBody PolicyDocument body) {
    CallerAccess.requirePlatformAdmin(caller);
    ImagePolicy floor = body.toPolicy(true);
    // a policy is a row in this database: it and its audit event commit together
    tx.executeWithoutResult(
        status -> {
          policies.saveFloor(floor, username(caller));
          audit.record(
              caller, null, "image-policy.floor-updated", "image-policy", Map.of("policy", body));
        });
    return PolicyDocument.of(floor);
  }

  @GetMapping("/api/v1/tenants/{tenant}/image-policy")
  TenantPolicyView tenant(@AuthenticationPrincipal Jwt caller, @PathVariable String tenant) {
    return view(tenant, access.roleIn(tenant, caller).tenantId());
  }

  @PutMapping("/api/v1/tenants/{tenant}/image-policy")
  TenantPolicyView setTenant(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @RequestBody PolicyDocument body) {
    CallerAccess.TenantRole seen =
        access.requireTenantAdmin(tenant, caller, "Changing tenant " + tenant + "'s image policy");
    ImagePolicy policy = body.toPolicy(false);
    if (!policy.waivers().isEmpty() && !policies.floor().tenantWaiversAllowed()) {
      throw Problem.invalid(
          "waivers-not-allowed",
          "The platform's floor does not let tenants waive vulnerabilities; ask a platform admin");
    }
    tx.executeWithoutResult(
        status -> {
          policies.saveTenant(seen.tenantId(), tenant, policy, username(caller));
          audit.record(
              caller,
              tenant,
              "image-policy.updated",
              tenant + "/image-policy",
              Map.of("policy", body));
        });
    return view(tenant, seen.tenantId());
  }

  private TenantPolicyView view(String tenant, String tenantId) {
    ImagePolicy floor = policies.floor();
    ImagePolicy own = policies.tenant(tenantId, tenant);
    return new TenantPolicyView(
        tenant,
        PolicyDocument.of(own),
        PolicyDocument.of(floor),
        PolicyDocument.of(ImagePolicy.tighten(floor, own)));
  }

  @GetMapping("/api/v1/tenants/{tenant}/projects/{project}/image-policy")
  ProjectPolicyView project(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project) {
    TenantApi.ProjectAccess seen = tenants.requireProject(tenant, project, caller.getTokenValue());
    return view(tenant, project, seen);
  }

  @PutMapping("/api/v1/tenants/{tenant}/projects/{project}/image-policy")
  ProjectPolicyView setProject(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestBody PolicyDocument body) {
    TenantApi.ProjectAccess seen = tenants.requireProject(tenant, project, caller.getTokenValue());
    if (!seen.tenantAdmin()) {
      throw Problem.forbidden(
          "Changing project "
              + project
              + "'s image policy needs the tenant-admin role in "
              + tenant);
    }
    ImagePolicy policy = body.toPolicy(false);
    if (!policy.waivers().isEmpty()) {
      throw Problem.invalid(
          "waivers-not-allowed",
          "A project's image policy only tightens its tenant's: waivers are set on the tenant's");
    }
    tx.executeWithoutResult(
        status -> {
          policies.saveProject(seen.tenantId(), seen.projectId(), policy, username(caller));
          audit.record(
              caller,
              tenant,
              "image-policy.updated",
              tenant + "/" + project + "/image-policy",
              Map.of("policy", body, "projectId", seen.projectId()));
        });
    return view(tenant, project, seen);
  }

  private ProjectPolicyView view(String tenant, String project, TenantApi.ProjectAccess seen) {
    ImagePolicy tenantEffective = policies.effective(seen.tenantId(), tenant);
    ImagePolicy own = policies.project(seen.projectId());
    return new ProjectPolicyView(
        tenant,
        project,
        PolicyDocument.of(own),
        PolicyDocument.of(tenantEffective),
        PolicyDocument.of(ImagePolicy.tighten(tenantEffective, own)));
  }

  private static String username(Jwt caller) {
    return AuditActor.of(caller).name();
  }
}
