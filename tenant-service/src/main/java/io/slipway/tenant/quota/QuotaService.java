package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog;
import io.slipway.tenant.catalog.Catalog;
import io.slipway.tenant.catalog.Project;
import io.slipway.tenant.catalog.Tenant;
import io.slipway.tenant.web.PageRequests;
import io.slipway.tenant.web.PageResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Quotas per tenant and per project, and usage against them. A project's limits never exceed its
 * tenant's: setting one higher is refused, and lowering the tenant's clamps its projects (each
 * clamp audited). Lowering a quota below usage is allowed: the overage is shown and new
 * reservations are refused, but nothing running is stopped.
 */
@Service
@Transactional
class QuotaService {

  private final QuotaStore store;
  private final Catalog catalog;
  private final TenantAccess access;
  private final AuditLog audit;
  private final Resources projectDefaults;

  QuotaService(
      QuotaStore store,
      Catalog catalog,
      TenantAccess access,
      AuditLog audit,
      QuotaProperties properties) {
    this.store = store;
    this.catalog = catalog;
    this.access = access;
    this.audit = audit;
    this.projectDefaults = properties.projectDefaults();
  }

  @Transactional(readOnly = true)
  QuotaView tenantQuota(Actor actor, String tenant) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    return QuotaView.of(store.tenantQuota(ref.id()), store.tenantUsage(ref.id()));
  }

  /**
   * Platform admins only. Every resource is required but {@code previews} and {@code activations},
   * which callers that know only the first seven may leave out: each is then kept as it is.
   */
  QuotaView putTenantQuota(Actor actor, String tenant, Resources asked) {
    // Membership first, so that a tenant the caller is not in stays a 404 here too.
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    access.requirePlatformAdmin(actor);
    Resources before = store.lockTenantQuota(ref.id());
    Resources limits =
        Resources.of(
            r ->
                asked.get(r) == null && (r == Resource.PREVIEWS || r == Resource.ACTIVATIONS)
                    ? before.get(r)
                    : asked.get(r));
    limits.validate(true);
    store.updateTenantQuota(ref.id(), limits);
    audit.record(actor, tenant, "quota.updated", tenant, before, limits);
    store
        .projectQuotas(ref.id())
        .forEach((projectId, own) -> clamp(actor, ref, projectId, own, limits));
    return QuotaView.of(limits, store.tenantUsage(ref.id()));
  }

  @Transactional(readOnly = true)
  ProjectQuotaView projectQuota(Actor actor, String tenant, String projectName) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    Resources own = store.projectQuota(project.getId());
    Resources effective = effective(own, projectDefaults, store.tenantQuota(ref.id()));
    return ProjectQuotaView.of(own, effective, store.projectUsage(project.getId()));
  }

  /** Tenant-admins and platform admins; null limits defer to the tenant's. */
  ProjectQuotaView putProjectQuota(Actor actor, String tenant, String projectName, Resources own) {
    TenantRef ref = access.require(actor, tenant, Role.TENANT_ADMIN);
    if (actor.service()) {
      throw Problem.forbidden("Services may not change quotas");
    }
    own.validate(false);
    refuseTenantWide(own);
    Project project = catalog.project(ref, projectName);
    Resources tenantLimits = store.lockTenantQuota(ref.id());
    Map<Resource, Long> over = own.over(tenantLimits);
    if (!over.isEmpty()) {
      Resource first = over.keySet().iterator().next();
      throw Problem.invalid(
              "project-quota-exceeds-tenant",
              "A project's quota may not exceed its tenant's: "
                  + first.field
                  + " "
                  + own.get(first)
                  + " is above the tenant's "
                  + tenantLimits.get(first))
          .with("resources", over.keySet().stream().map(r -> r.field).toList());
    }
    Resources before = store.projectQuota(project.getId());
    store.upsertProjectQuota(project.getId(), own);
    String target = tenant + "/" + projectName;
    audit.record(actor, tenant, "project-quota.updated", target, before, own);
    return ProjectQuotaView.of(
        own, effective(own, projectDefaults, tenantLimits), store.projectUsage(project.getId()));
  }

  @Transactional(readOnly = true)
  TenantUsage usage(Actor actor, String tenant, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Resources tenantLimits = store.tenantQuota(ref.id());
    Page<Project> projects = catalog.projects(ref, pageable);
    List<Long> ids = projects.map(Project::getId).toList();
    Map<Long, Resources> usage = store.projectUsages(ref.id(), ids);
    Map<Long, Resources> own = store.projectQuotas(ref.id());
    PageResponse<ProjectUsage> page =
        PageResponse.of(
            projects,
            project -> {
              Resources limits =
                  effective(
                      own.getOrDefault(project.getId(), Resources.of(r -> null)),
                      projectDefaults,
                      tenantLimits);
              Resources used = usage.get(project.getId());
              return new ProjectUsage(project.getName(), limits, used, overages(used, limits));
            });
    Resources used = store.tenantUsage(ref.id());
    return new TenantUsage(
        tenant,
        tenantLimits,
        used,
        overages(used, tenantLimits),
        store.measurements(ref.id()),
        page);
  }

  /** Held usage at the end of each of the last {@code days} days, for charts. */
  @Transactional(readOnly = true)
  List<QuotaStore.DayUsage> history(Actor actor, String tenant, int days) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    if (days < 1 || days > 90) {
      throw Problem.invalid("invalid-days", "days must be between 1 and 90, was " + days);
    }
    return store.history(ref.id(), days);
  }

  /** Every tenant with its usage against quota, for platform admins, in the order asked. */
  @Transactional(readOnly = true)
  PageResponse<TenantOverview> overview(
      Actor actor, String search, String sort, int page, int size) {
    access.requirePlatformAdmin(actor);
    TenantOrder order = TenantOrder.parse(sort);
    Pageable pageable =
        PageRequests.of(
            page,
            size,
            Sort.by(order.descending() ? Sort.Direction.DESC : Sort.Direction.ASC, "name"));
    if (order.byName()) {
      Page<Tenant> tenants = catalog.tenants(search, pageable);
      return overview(
          tenants.getContent().stream()
              .map(t -> new QuotaStore.TenantName(t.getId(), t.getName(), t.getDisplayName()))
              .toList(),
          pageable,
          tenants.getTotalElements());
    }
    String text = search == null ? "" : search.strip();
    return overview(
        store.tenantsOrdered(text, order, pageable.getOffset(), pageable.getPageSize()),
        pageable,
        store.countTenants(text));
  }

  private PageResponse<TenantOverview> overview(
      List<QuotaStore.TenantName> tenants, Pageable pageable, long total) {
    Map<Long, QuotaStore.LimitsAndUsage> figures =
        store.tenantOverview(tenants.stream().map(QuotaStore.TenantName::id).toList());
    return new PageResponse<>(
        tenants.stream()
            .map(
                tenant -> {
                  QuotaStore.LimitsAndUsage f = figures.get(tenant.id());
                  return new TenantOverview(
                      tenant.name(),
                      tenant.displayName(),
                      f.limits(),
                      f.used(),
                      overages(f.used(), f.limits()));
                })
            .toList(),
        pageable.getPageNumber(),
        pageable.getPageSize(),
        total);
  }

  private void clamp(
      Actor actor, TenantRef tenant, long projectId, Resources own, Resources limits) {
    if (own.over(limits).isEmpty()) {
      return;
    }
    Resources clamped =
        Resources.of(r -> own.get(r) == null ? null : Math.min(own.get(r), limits.get(r)));
    store.upsertProjectQuota(projectId, clamped);
    audit.record(
        actor,
        tenant.name(),
        "project-quota.clamped",
        tenant.name() + "/" + store.projectName(projectId),
        own,
        clamped);
  }

  /** A project quota may not set what is limited per tenant only ({@code activations}). */
  private static void refuseTenantWide(Resources own) {
    for (Resource resource : Resource.values()) {
      if (resource.tenantWide() && own.get(resource) != null) {
        throw Problem.invalid(
                "per-tenant-quota",
                resource.field
                    + " is limited per tenant, not per project: leave it out of the project's"
                    + " quota (a platform admin sets it on the tenant's)")
            .with("resource", resource.field);
      }
    }
  }

  /**
   * A project's limits in force: its own, else the project default ({@code previews} alone has
   * one), else the tenant's; never above the tenant's. A resource limited per tenant only has none
   * (null) in a project.
   */
  static Resources effective(Resources own, Resources defaults, Resources tenant) {
    return Resources.of(
        r -> {
          if (r.tenantWide()) {
            return null;
          }
          Long limit = own.get(r) != null ? own.get(r) : defaults.get(r);
          return limit == null ? tenant.get(r) : Math.min(limit, tenant.get(r));
        });
  }

  static Map<String, Long> overages(Resources used, Resources limits) {
    Map<String, Long> overages = new LinkedHashMap<>();
    used.over(limits).forEach((resource, amount) -> overages.put(resource.field, amount));
    return overages;
  }

  /** A quota with its usage; {@code overages} names each resource used beyond its limit. */
  record QuotaView(Resources limits, Resources used, Map<String, Long> overages) {
    static QuotaView of(Resources limits, Resources used) {
      return new QuotaView(limits, used, QuotaService.overages(used, limits));
    }
  }

  /** A project's own limits (null: the tenant's), the limits in force, and usage. */
  record ProjectQuotaView(
      Resources limits, Resources effective, Resources used, Map<String, Long> overages) {
    static ProjectQuotaView of(Resources own, Resources effective, Resources used) {
      return new ProjectQuotaView(own, effective, used, QuotaService.overages(used, effective));
    }
  }

  record ProjectUsage(
      String project, Resources limits, Resources used, Map<String, Long> overages) {}

  /**
   * A tenant's usage against quota.
   *
   * @param measured what services measured, one per key: the parts of {@code used.storageMib}
   *     measured on disk ({@code git}, {@code images}, {@code build-store}; the rest of it is
   *     reserved) and runtime-bridge's count of {@code activations} (key {@code activations})
   */
  record TenantUsage(
      String tenant,
      Resources limits,
      Resources used,
      Map<String, Long> overages,
      List<QuotaStore.Measurement> measured,
      PageResponse<ProjectUsage> projects) {}

  record TenantOverview(
      String name,
      String displayName,
      Resources limits,
      Resources used,
      Map<String, Long> overages) {}
}
