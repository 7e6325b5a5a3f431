package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import io.slipway.kit.validation.PreviewTtls;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog;
import java.time.Duration;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes a project's preview bounds; each change is audited. */
@Service
@Transactional
class PreviewSettings {

  private final Catalog catalog;
  private final TenantAccess access;
  private final AuditLog audit;
  private final PreviewProperties properties;

  PreviewSettings(
      Catalog catalog, TenantAccess access, AuditLog audit, PreviewProperties properties) {
    this.catalog = catalog;
    this.access = access;
    this.audit = audit;
    this.properties = properties;
  }

  /**
   * The bounds in force. {@code previewTtlDefault} tells that the project chose no TTL, so a change
   * of the platform's default changes its TTL too. {@code allowForks}: whether a pull request from
   * a fork may have a preview.
   */
  record View(
      String previewTtl,
      boolean previewTtlDefault,
      PreviewPolicy previewPolicy,
      boolean allowForks) {}

  @Transactional(readOnly = true)
  View get(Actor actor, String tenant, String projectName) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    return view(catalog.project(ref, projectName));
  }

  View put(Actor actor, String tenant, String projectName, PreviewSettingsController.Put body) {
    TenantRef ref = CatalogRules.requireUser(access, actor, tenant, Role.TENANT_ADMIN);
    Project project = catalog.project(ref, projectName);
    View before = view(project);
    project.setPreviewSettings(
        body.previewTtl() == null ? null : PreviewTtls.parse(body.previewTtl()),
        body.previewPolicy() == null
            ? PreviewPolicy.REFUSE
            : PreviewPolicy.of(body.previewPolicy()),
        Boolean.TRUE.equals(body.allowForks()));
    View after = view(project);
    audit.record(
        actor, tenant, "preview-settings.updated", tenant + "/" + projectName, before, after);
    return after;
  }

  /** How long a preview of {@code project} may go without a push or PUT. */
  Duration ttl(Project project) {
    return project.getPreviewTtl() == null ? properties.previewTtl() : project.getPreviewTtl();
  }

  private View view(Project project) {
    return new View(
        PreviewTtls.format(ttl(project)),
        project.getPreviewTtl() == null,
        project.getPreviewPolicy(),
        project.getPreviewAllowForks());
  }
}
