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
import io.slipway.tenant.events.CatalogEvents;
import org.springframework.dao.DataIntegrityViolationException;
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
  private final CatalogEvents events;
  private final PreviewService previews;

  ProjectService(
      ProjectRepository projects,
      AppRepository apps,
      Catalog catalog,
      TenantAccess access,
      QuotaGate quotas,
      AuditLog audit,
      CatalogEvents events,
      PreviewService previews) {
    this.events = events;
    this.previews = previews;
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
    String id = CatalogIds.issue(CatalogIds.PROJECT, projects::existsByPublicId);
    Project project =
        projects.saveAndFlush(new Project(id, ref.id(), request.name(), displayName, actor.name()));
    ProjectView view = ProjectView.of(catalog.tenant(ref), project);
    audit.record(actor, tenant, "project.created", tenant + "/" + project.getName(), null, view);
    return view;
  }

  @Transactional(readOnly = true)
  Page<ProjectView> list(Actor actor, String tenant, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Tenant owner = catalog.tenant(ref);
    return catalog.projects(ref, pageable).map(project -> ProjectView.of(owner, project));
  }

  @Transactional(readOnly = true)
  ProjectView get(Actor actor, String tenant, String name) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    return ProjectView.of(catalog.tenant(ref), catalog.project(ref, name));
  }

  /**
   * Deletes the project with its apps and records a {@code project.deleted} event in the same
   * transaction. Reservations its apps hold stay counted until the services holding them have
   * stopped what they count (they consume the event and release them).
   */
  void delete(Actor actor, String tenant, String name) {
    TenantRef ref = requireUser(actor, tenant, Role.TENANT_ADMIN);
    Tenant owner = catalog.tenant(ref);
    Project project = catalog.project(ref, name);
    ProjectView before = ProjectView.of(owner, project);
    apps.deleteByProjectId(project.getId());
    projects.delete(project);
    projects.flush();
    events.projectDeleted(owner.getPublicId(), project.getPublicId(), tenant, name);
    audit.record(actor, tenant, "project.deleted", tenant + "/" + name, before, null);
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
              : source == AppSource.VM
                  ? "A VM app takes no sourceRef: its image is named when its VM is made"
                  : "An app from hosted-git takes no sourceRef: its repository is created for it");
    }
    String path = tenant + "/" + projectName + "/" + request.name();
    if (apps.findByProjectIdAndName(project.getId(), request.name()).isPresent()) {
      throw Problem.conflict("already-exists", "App '" + path + "' already exists");
    }
    // unique by construction (no name holds '--'); the unique constraint guards names older than
    // that rule
    String host = AppHosts.label(tenant, projectName, request.name());
    quotas.admitApp(ref.id(), tenant, project);
    String id = CatalogIds.issue(CatalogIds.APP, apps::existsByPublicId);
    App app;
    try {
      app =
          apps.saveAndFlush(
              new App(
                  id,
                  ref.id(),
                  project.getId(),
                  request.name(),
                  host,
                  source,
                  hasReference ? request.sourceRef() : null,
                  actor.name()));
    } catch (DataIntegrityViolationException raced) {
      // another request took the name (or the host) between the check and the insert; the
      // transaction is aborted now, so the constraint's name says which
      throw CatalogRules.violated(raced, "app_host_label")
          ? CatalogRules.hostTaken(host)
          : Problem.conflict("already-exists", "App '" + path + "' already exists");
    }
    AppView view = AppView.of(catalog.tenant(ref), project, app);
    audit.record(actor, tenant, "app.created", path, null, view);
    return view;
  }

  @Transactional(readOnly = true)
  Page<AppView> apps(Actor actor, String tenant, String projectName, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    Tenant owner = catalog.tenant(ref);
    return apps.findByProjectIdAndParentIsNull(project.getId(), pageable)
        .map(app -> AppView.of(owner, project, app));
  }

  @Transactional(readOnly = true)
  AppView app(Actor actor, String tenant, String projectName, String name) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    return AppView.of(catalog.tenant(ref), project, catalog.app(ref, project, name));
  }

  /**
   * Deletes the app, freeing its name and host, and records an {@code app.deleted} event in the
   * same transaction: runtime-bridge stops and removes what runs (and then releases the
   * reservations, which count until then), build-service removes its builds, images and repository.
   * Its previews go first, each with an event of its own; a preview named here goes as through
   * {@link PreviewService#delete}.
   */
  void deleteApp(Actor actor, String tenant, String projectName, String name) {
    TenantRef ref = requireUser(actor, tenant, Role.DEVELOPER);
    Tenant owner = catalog.tenant(ref);
    Project project = catalog.project(ref, projectName);
    App app = catalog.app(ref, project, name);
    if (app.isPreview()) {
      previews.remove(actor, owner, project, app);
      return;
    }
    previews.removeAll(actor, owner, project, app);
    String path = tenant + "/" + projectName + "/" + name;
    AppView before = AppView.of(owner, project, app);
    apps.delete(app);
    apps.flush();
    events.appDeleted(
        owner.getPublicId(), project.getPublicId(), app.getPublicId(), tenant, projectName, name);
    audit.record(actor, tenant, "app.deleted", path, before, null);
  }

  private TenantRef requireUser(Actor actor, String tenant, Role minimum) {
    return CatalogRules.requireUser(access, actor, tenant, minimum);
  }
}
