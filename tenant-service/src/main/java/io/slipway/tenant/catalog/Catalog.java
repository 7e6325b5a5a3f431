package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import io.slipway.tenant.access.TenantRef;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read access to the catalog for other features; every lookup is scoped to an allowed tenant. */
@Service
@Transactional(readOnly = true)
public class Catalog {

  private final ProjectRepository projects;
  private final AppRepository apps;
  private final TenantRepository tenants;

  Catalog(ProjectRepository projects, AppRepository apps, TenantRepository tenants) {
    this.projects = projects;
    this.apps = apps;
    this.tenants = tenants;
  }

  /** The tenant the caller was allowed to act on. */
  public Tenant tenant(TenantRef tenant) {
    return tenants.getReferenceById(tenant.id());
  }

  /** The project, or a 404 problem. */
  public Project project(TenantRef tenant, String name) {
    return projects
        .findByTenantIdAndName(tenant.id(), name)
        .orElseThrow(() -> Problem.notFound("project", tenant.name() + "/" + name));
  }

  /** The app, or a 404 problem. */
  public App app(TenantRef tenant, Project project, String name) {
    return apps.findByProjectIdAndName(project.getId(), name)
        .orElseThrow(
            () -> Problem.notFound("app", tenant.name() + "/" + project.getName() + "/" + name));
  }

  public Page<Project> projects(TenantRef tenant, Pageable pageable) {
    return projects.findByTenantId(tenant.id(), pageable);
  }

  /** Every tenant, or those whose name or display name contains {@code search}. */
  public Page<Tenant> tenants(String search, Pageable pageable) {
    if (search == null || search.isBlank()) {
      return tenants.findAll(pageable);
    }
    return tenants.findByNameContainingOrDisplayNameContainingIgnoreCase(
        search.toLowerCase(java.util.Locale.ROOT), search, pageable);
  }
}
