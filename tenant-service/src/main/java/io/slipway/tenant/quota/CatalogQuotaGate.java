package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.QuotaResource;
import io.slipway.tenant.catalog.Project;
import io.slipway.tenant.catalog.QuotaGate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The quota side of catalog changes: default quotas for new tenants, the apps quota. */
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
    Resources tenantLimits = store.lockTenantQuota(tenantId);
    refuseIfFull(
        "tenant '" + tenant + "'", tenantLimits.apps(), store.tenantUsage(tenantId).apps());
    Long projectLimit = store.projectQuota(project.getId()).apps();
    if (projectLimit != null) {
      refuseIfFull(
          "project '" + tenant + "/" + project.getName() + "'",
          projectLimit,
          store.projectUsage(project.getId()).apps());
    }
  }

  private static void refuseIfFull(String scope, long limit, long used) {
    if (used + 1 > limit) {
      throw Problem.conflict(
              "quota-exceeded",
              "The " + scope + " quota for apps is " + limit + ": " + used + " in use, 1 requested")
          .with("scope", scope)
          .with("resource", QuotaResource.APPS.field())
          .with("limit", limit)
          .with("used", used)
          .with("requested", 1);
    }
  }
}
