package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.admission.CallerAccess;
import io.slipway.runtime.tenant.AuditEvents;
import java.util.LinkedHashMap;
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
 * A tenant's image retention: how many of each of its apps' newest revisions keep their images
 * (older ones, unless live, deploying or pinned, are removed by {@link ImageRetention} and can no
 * longer be rolled back to). Every member reads it; a tenant-admin sets it, from 1 to the
 * platform's maximum, or back to the platform's default with {@code null}; anyone else gets 404.
 */
@RestController
class ImageRetentionController {

  /**
   * The tenant's setting: what applies, its own choice (null: the default), and the platform's
   * default and maximum.
   */
  record RetentionView(
      String tenant, int revisions, Integer own, int defaultRevisions, int maxRevisions) {}

  /** A change: {@code {"revisions": 5}}, or {@code {"revisions": null}} for the default. */
  record RetentionChange(Integer revisions) {}

  private final TenantRetention retention;
  private final CallerAccess access;
  private final AuditEvents audit;
  private final TransactionTemplate tx;

  ImageRetentionController(
      TenantRetention retention, CallerAccess access, AuditEvents audit, TransactionTemplate tx) {
    this.retention = retention;
    this.access = access;
    this.audit = audit;
    this.tx = tx;
  }

  @GetMapping("/api/v1/tenants/{tenant}/image-retention")
  RetentionView get(@AuthenticationPrincipal Jwt caller, @PathVariable String tenant) {
    return view(tenant, access.roleIn(tenant, caller).tenantId());
  }

  /**
   * 400 {@code invalid-retention} for a number out of bounds; 403 below tenant-admin; audited as
   * {@code image-retention.updated}. It applies from the next retention pass.
   */
  @PutMapping("/api/v1/tenants/{tenant}/image-retention")
  RetentionView set(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @RequestBody RetentionChange change) {
    CallerAccess.TenantRole seen =
        access.requireTenantAdmin(
            tenant, caller, "Changing tenant " + tenant + "'s image retention");
    Integer revisions = change.revisions();
    if (revisions != null && (revisions < 1 || revisions > retention.maxRevisions())) {
      throw Problem.badRequest(
          "invalid-retention",
          "revisions must be from 1 to "
              + retention.maxRevisions()
              + " (the platform's maximum), or null for the platform's default of "
              + retention.defaultRevisions()
              + ", not "
              + revisions);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("revisions", revisions);
    tx.executeWithoutResult(
        status -> {
          retention.set(seen.tenantId(), revisions, AuditEvents.actor(caller));
          audit.record(
              caller, tenant, "image-retention.updated", tenant + "/image-retention", details);
        });
    return view(tenant, seen.tenantId());
  }

  private RetentionView view(String tenant, String tenantId) {
    return new RetentionView(
        tenant,
        retention.revisions(tenantId),
        retention.own(tenantId).orElse(null),
        retention.defaultRevisions(),
        retention.maxRevisions());
  }
}
