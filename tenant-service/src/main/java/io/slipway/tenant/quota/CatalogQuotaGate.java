package io.slipway.tenant.quota;

import io.slipway.tenant.catalog.Project;
import io.slipway.tenant.catalog.QuotaGate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The quota side of catalog changes: default quotas for new tenants, the apps and previews quotas.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
class CatalogQuotaGate implements QuotaGate {

  private final QuotaStore store;
  private final QuotaProperties properties;

  CatalogQuotaGate(QuotaStore store, QuotaProperties properties) {
    this.store = store;
    this.properties = properties;
  }

  @Override
  public void tenantCreated(long tenantId) {
    store.insertTenantQuota(tenantId, properties.defaultQuota().toResources());
  }

  @Override
  public void admitApp(long tenantId, String tenant, Project project) {
    admitOneMore(Resource.APPS, tenantId, tenant, project);
  }

  @Override
  public void admitPreview(long tenantId, String tenant, Project project) {
    admitOneMore(Resource.PREVIEWS, tenantId, tenant, project);
  }

  @Override
  public boolean previewFits(long tenantId, Project project) {
    Resources tenantLimits = store.lockTenantQuota(tenantId);
    return store.tenantUsage(tenantId).get(Resource.PREVIEWS) < tenantLimits.get(Resource.PREVIEWS)
        && store.projectUsage(project.getId()).get(Resource.PREVIEWS)
            < projectLimit(Resource.PREVIEWS, project, tenantLimits);
  }

  private void admitOneMore(Resource resource, long tenantId, String tenant, Project project) {
    Resources tenantLimits = store.lockTenantQuota(tenantId);
    refuseIfFull(
        "tenant '" + tenant + "'",
        resource,
        tenantLimits.get(resource),
        store.tenantUsage(tenantId).get(resource));
    refuseIfFull(
        "project '" + tenant + "/" + project.getName() + "'",
        resource,
        projectLimit(resource, project, tenantLimits),
        store.projectUsage(project.getId()).get(resource));
  }

  private long projectLimit(Resource resource, Project project, Resources tenantLimits) {
    return QuotaService.effective(
            store.projectQuota(project.getId()), properties.projectDefaults(), tenantLimits)
        .get(resource);
  }

  private static void refuseIfFull(String scope, Resource resource, long limit, long used) {
    if (used + 1 > limit) {
      throw resource.exceeded(scope, limit, used, 1);
    }
  }
}
