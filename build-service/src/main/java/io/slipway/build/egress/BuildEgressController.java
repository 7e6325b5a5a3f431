package io.slipway.build.egress;

import io.slipway.build.tenant.TenantClient;
import io.slipway.build.tenant.TenantClient.TenantSeen;
import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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
 * Whether a tenant's builds may reach package registries (docs/security.md). Any member reads it;
 * only a tenant admin changes it, and each change is in the tenant's audit trail. Like every
 * tenant's API, a caller who may not read the tenant gets 404.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/build-egress")
class BuildEgressController {

  /**
   * The tenant's build egress.
   *
   * @param enabled whether its builds may reach package registries now
   * @param platformDefault whether that is the platform's default (the tenant never chose)
   * @param changedBy who chose it, when the tenant did
   * @param changedAt when
   */
  record EgressView(
      boolean enabled, boolean platformDefault, String changedBy, Instant changedAt) {}

  /** A change: {@code {"enabled": false}}. */
  record EgressChange(Boolean enabled) {}

  private final TenantClient tenants;
  private final BuildEgressSettings settings;
  private final AuditRecorder audit;
  private final TransactionTemplate tx;

  BuildEgressController(
      TenantClient tenants,
      BuildEgressSettings settings,
      AuditRecorder audit,
      TransactionTemplate tx) {
    this.tenants = tenants;
    this.settings = settings;
    this.audit = audit;
    this.tx = tx;
  }

  @GetMapping
  EgressView read(@AuthenticationPrincipal Jwt caller, @PathVariable String tenant) {
    return view(seen(caller, tenant).id());
  }

  @PutMapping
  EgressView change(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @RequestBody EgressChange change) {
    TenantSeen seen = seen(caller, tenant);
    if (seen.role() == null || !seen.role().atLeast(Role.TENANT_ADMIN)) {
      throw Problem.forbidden(
          "Turning build egress on or off needs the tenant-admin role in " + tenant);
    }
    if (change == null || change.enabled() == null) {
      throw Problem.invalid(
          "build-egress-enabled-missing",
          "Say whether builds may reach package registries: {\"enabled\": true} or {\"enabled\": false}");
    }
    // the choice and its audit event commit together
    tx.executeWithoutResult(
        status -> {
          settings.choose(seen.id(), change.enabled(), AuditActor.of(caller).name());
          audit.record(
              caller, tenant, "build-egress.changed", tenant, Map.of("enabled", change.enabled()));
        });
    return view(seen.id());
  }

  private TenantSeen seen(Jwt caller, String tenant) {
    Optional<TenantSeen> seen = tenants.tenantAsSeenBy(tenant, caller.getTokenValue());
    return seen.orElseThrow(() -> Problem.notFound("No tenant " + tenant));
  }

  private EgressView view(String tenantId) {
    return settings
        .choice(tenantId)
        .map(
            choice ->
                new EgressView(choice.enabled(), false, choice.changedBy(), choice.changedAt()))
        .orElseGet(() -> new EgressView(settings.enabled(tenantId), true, null, null));
  }
}
