package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog;
import io.slipway.tenant.catalog.Requests.CreateApp;
import io.slipway.tenant.catalog.Requests.CreateProject;
import io.slipway.tenant.catalog.Views.AppView;
import io.slipway.tenant.catalog.Views.ProjectView;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects and the apps inside them. */
@Service
@Transactional
class ProjectService {

  private final ProjectRepository projects;
  private final AppRepository apps;
  private final Catalog catalog;
  private final TenantAccess access;
  private final QuotaGate quotas;
  private final AuditLog audit;

  ProjectService(
      ProjectRepository projects,
      AppRepository apps,
      Catalog catalog,
      TenantAccess access,
      QuotaGate quotas,
      AuditLog audit) {
    this.projects = projects;
    this.apps = apps;
    this.catalog = catalog;
    this.access = access;
    this.quotas = quotas;
    this.audit = audit;
  }

  ProjectView create(Actor actor, String tenant, CreateProject request) {
    TenantRef ref = requireUser(actor, tenant, Role.DEVELOPER);
    if (projects.findByTenantIdAndName(ref.id(), request.name()).isPresent()) {
      throw Problem.conflict(
          "already-exists", "Project '" + tenant + "/" + request.name() + "' already exists");
    }
    String displayName = request.displayName() == null ? request.name() : request.displayName();
    Project project =
        projects.saveAndFlush(new Project(ref.id(), request.name(), displayName, actor.name()));
    ProjectView view = ProjectView.of(tenant, project);
    audit.record(actor, tenant, "project.created", tenant + "/" + project.getName(), null, view);
    return view;
  }

  @Transactional(readOnly = true)
  Page<ProjectView> list(Actor actor, String tenant, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    return catalog.projects(ref, pageable).map(project -> ProjectView.of(tenant, project));
  }

  @Transactional(readOnly = true)
  ProjectView get(Actor actor, String tenant, String name) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    return ProjectView.of(tenant, catalog.project(ref, name));
  }

  /** Deletes an empty project that holds no reservations. */
  void delete(Actor actor, String tenant, String name) {
    TenantRef ref = requireUser(actor, tenant, Role.TENANT_ADMIN);
    Project project = catalog.project(ref, name);
    long appCount = apps.countByProjectId(project.getId());
    if (appCount > 0) {
      throw Problem.conflict(
          "not-empty",
          "Project '"
              + tenant
              + "/"
              + name
              + "' still has "
              + appCount
              + " app(s); delete them first");
    }
    requireNoReservations(tenant + "/" + name, quotas.activeReservations(project.getId(), null));
    projects.delete(project);
    audit.record(
        actor,
        tenant,
        "project.deleted",
        tenant + "/" + name,
        ProjectView.of(tenant, project),
        null);
  }

  AppView createApp(Actor actor, String tenant, String projectName, CreateApp request) {
    TenantRef ref = requireUser(actor, tenant, Role.DEVELOPER);
    Project project = catalog.project(ref, projectName);
    AppSource source = request.source() == null ? AppSource.HOSTED_GIT : request.source();
    boolean hasReference = request.sourceRef() != null && !request.sourceRef().isBlank();
    if (source.needsReference() != hasReference) {
      throw Problem.invalid(
          "invalid-source",
          source.needsReference()
              ? "An app from " + source.value() + " needs a sourceRef"
              : "An app from hosted-git takes no sourceRef: its repository is created for it");
    }
    String path = tenant + "/" + projectName + "/" + request.name();
    if (apps.findByProjectIdAndName(project.getId(), request.name()).isPresent()) {
      throw Problem.conflict("already-exists", "App '" + path + "' already exists");
    }
    quotas.admitApp(ref.id(), tenant, project);
    App app =
        apps.saveAndFlush(
            new App(
                ref.id(),
                project.getId(),
                request.name(),
                source,
                hasReference ? request.sourceRef() : null,
                actor.name()));
    AppView view = AppView.of(tenant, projectName, app);
    audit.record(actor, tenant, "app.created", path, null, view);
    return view;
  }

  @Transactional(readOnly = true)
  Page<AppView> apps(Actor actor, String tenant, String projectName, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    return apps.findByProjectId(project.getId(), pageable)
        .map(app -> AppView.of(tenant, projectName, app));
  }

  @Transactional(readOnly = true)
  AppView app(Actor actor, String tenant, String projectName, String name) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    return AppView.of(tenant, projectName, catalog.app(ref, project, name));
  }

  /**
   * Deletes an app that holds no reservations (the runtime releases them when it stops the app).
   */
  void deleteApp(Actor actor, String tenant, String projectName, String name) {
    TenantRef ref = requireUser(actor, tenant, Role.DEVELOPER);
    Project project = catalog.project(ref, projectName);
    App app = catalog.app(ref, project, name);
    String path = tenant + "/" + projectName + "/" + name;
    requireNoReservations(path, quotas.activeReservations(project.getId(), app.getId()));
    apps.delete(app);
    audit.record(actor, tenant, "app.deleted", path, AppView.of(tenant, projectName, app), null);
  }

  private TenantRef requireUser(Actor actor, String tenant, Role minimum) {
    TenantRef ref = access.require(actor, tenant, minimum);
    if (actor.service()) {
      throw Problem.forbidden("Services may not change the catalog of tenant '" + tenant + "'");
    }
    return ref;
  }

  private static void requireNoReservations(String path, long active) {
    if (active > 0) {
      throw Problem.conflict(
          "in-use",
          "'" + path + "' still holds " + active + " quota reservation(s); stop what runs first");
    }
  }
}
