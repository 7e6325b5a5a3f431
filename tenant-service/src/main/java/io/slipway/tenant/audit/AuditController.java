package io.slipway.tenant.audit;

import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.ServiceCaller;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog.AuditPage;
import io.slipway.tenant.audit.AuditLog.AuditQuery;
import io.slipway.tenant.web.PageRequests;
import jakarta.validation.Valid;
import java.time.Instant;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail: the whole platform for platform admins, one tenant for its tenant-admins. */
@RestController
@RequestMapping("/api/v1")
class AuditController {

  private final AuditLog audit;
  private final TenantAccess access;

  AuditController(AuditLog audit, TenantAccess access) {
    this.audit = audit;
    this.access = access;
  }

  @GetMapping("/admin/audit")
  AuditPage platform(
      Actor actor,
      @RequestParam(required = false) String tenant,
      @RequestParam(name = "actor", required = false) String by,
      @RequestParam(required = false) String action,
      @RequestParam(required = false) Instant since,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    access.requirePlatformAdmin(actor);
    PageRequests.of(page, size, Sort.unsorted());
    return audit.find(AuditQuery.byName(tenant, by, action, since, page, size));
  }

  /**
   * Records a change a Slipway service made (runtime-bridge's deploys, build-service's webhook
   * secrets): services only, 201 when recorded, 200 when that event id was recorded before.
   */
  @PostMapping("/internal/audit")
  ResponseEntity<Void> record(
      @ServiceCaller Actor service, @Valid @RequestBody ServiceEvent event) {
    if (event.tenant() != null) {
      access.require(service, event.tenant(), Role.VIEWER);
    }
    return ResponseEntity.status(audit.recordFor(service, event) ? 201 : 200).build();
  }

  @GetMapping("/tenants/{tenant}/audit")
  AuditPage tenant(
      Actor actor,
      @PathVariable String tenant,
      @RequestParam(name = "actor", required = false) String by,
      @RequestParam(required = false) String action,
      @RequestParam(required = false) Instant since,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    TenantRef ref = access.require(actor, tenant, Role.TENANT_ADMIN);
    PageRequests.of(page, size, Sort.unsorted());
    // by the tenant's identity: a deleted tenant's events stay with it, not with its name
    return audit.find(AuditQuery.of(ref, by, action, since, page, size));
  }
}
