package io.slipway.tenant.catalog;

import io.slipway.tenant.access.Actor;
import io.slipway.tenant.catalog.Requests.CreateApp;
import io.slipway.tenant.catalog.Requests.CreateProject;
import io.slipway.tenant.catalog.Requests.CreateTenant;
import io.slipway.tenant.catalog.Requests.PutMember;
import io.slipway.tenant.catalog.Requests.UpdateTenant;
import io.slipway.tenant.catalog.Views.AppView;
import io.slipway.tenant.catalog.Views.MemberView;
import io.slipway.tenant.catalog.Views.ProjectView;
import io.slipway.tenant.catalog.Views.TenantView;
import io.slipway.tenant.web.PageRequests;
import io.slipway.tenant.web.PageResponse;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tenants, members, projects and apps, addressed by name under {@code /api/v1/tenants}. */
@RestController
@RequestMapping("/api/v1/tenants")
class CatalogController {

  private static final Sort BY_NAME = Sort.by("name");

  private final TenantService tenants;
  private final ProjectService projects;

  CatalogController(TenantService tenants, ProjectService projects) {
    this.tenants = tenants;
    this.projects = projects;
  }

  @PostMapping
  ResponseEntity<TenantView> createTenant(Actor actor, @Valid @RequestBody CreateTenant request) {
    TenantView view = tenants.create(actor, request);
    return ResponseEntity.created(URI.create("/api/v1/tenants/" + view.name())).body(view);
  }

  /** The tenants the caller is a member of. */
  @GetMapping
  PageResponse<TenantView> myTenants(
      Actor actor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return PageResponse.of(tenants.mine(actor, PageRequests.of(page, size, BY_NAME)), view -> view);
  }

  @GetMapping("/{tenant}")
  TenantView tenant(Actor actor, @PathVariable String tenant) {
    return tenants.get(actor, tenant);
  }

  @PatchMapping("/{tenant}")
  TenantView updateTenant(
      Actor actor, @PathVariable String tenant, @Valid @RequestBody UpdateTenant request) {
    return tenants.update(actor, tenant, request.displayName());
  }

  @DeleteMapping("/{tenant}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteTenant(Actor actor, @PathVariable String tenant) {
    tenants.delete(actor, tenant);
  }

  @GetMapping("/{tenant}/members")
  PageResponse<MemberView> members(
      Actor actor,
      @PathVariable String tenant,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return PageResponse.of(
        tenants.members(actor, tenant, PageRequests.of(page, size, Sort.by("key.username"))),
        view -> view);
  }

  @PutMapping("/{tenant}/members/{username}")
  MemberView putMember(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable @Username String username,
      @Valid @RequestBody PutMember request) {
    return tenants.putMember(actor, tenant, username, request.role());
  }

  @DeleteMapping("/{tenant}/members/{username}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void removeMember(Actor actor, @PathVariable String tenant, @PathVariable String username) {
    tenants.removeMember(actor, tenant, username);
  }

  @PostMapping("/{tenant}/projects")
  ResponseEntity<ProjectView> createProject(
      Actor actor, @PathVariable String tenant, @Valid @RequestBody CreateProject request) {
    ProjectView view = projects.create(actor, tenant, request);
    return ResponseEntity.created(
            URI.create("/api/v1/tenants/" + tenant + "/projects/" + view.name()))
        .body(view);
  }

  @GetMapping("/{tenant}/projects")
  PageResponse<ProjectView> projects(
      Actor actor,
      @PathVariable String tenant,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return PageResponse.of(
        projects.list(actor, tenant, PageRequests.of(page, size, BY_NAME)), view -> view);
  }

  @GetMapping("/{tenant}/projects/{project}")
  ProjectView project(Actor actor, @PathVariable String tenant, @PathVariable String project) {
    return projects.get(actor, tenant, project);
  }

  @DeleteMapping("/{tenant}/projects/{project}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteProject(Actor actor, @PathVariable String tenant, @PathVariable String project) {
    projects.delete(actor, tenant, project);
  }

  @PostMapping("/{tenant}/projects/{project}/apps")
  ResponseEntity<AppView> createApp(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @Valid @RequestBody CreateApp request) {
    AppView view = projects.createApp(actor, tenant, project, request);
    return ResponseEntity.created(
            URI.create(
                "/api/v1/tenants/" + tenant + "/projects/" + project + "/apps/" + view.name()))
        .body(view);
  }

  @GetMapping("/{tenant}/projects/{project}/apps")
  PageResponse<AppView> apps(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return PageResponse.of(
        projects.apps(actor, tenant, project, PageRequests.of(page, size, BY_NAME)), view -> view);
  }

  @GetMapping("/{tenant}/projects/{project}/apps/{app}")
  AppView app(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app) {
    return projects.app(actor, tenant, project, app);
  }

  @DeleteMapping("/{tenant}/projects/{project}/apps/{app}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteApp(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app) {
    projects.deleteApp(actor, tenant, project, app);
  }
}
