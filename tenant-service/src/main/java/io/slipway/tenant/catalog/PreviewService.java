package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog;
import io.slipway.tenant.catalog.Requests.PutPreview;
import io.slipway.tenant.catalog.Views.PreviewView;
import io.slipway.tenant.events.CatalogEvents;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Previews of apps (issue 25): an app row with a parent, named {@code <preview>--<app>} (see {@link
 * Previews}), with its own id and host, so that every other service treats it as an app. Counted
 * under the {@code previews} quota, never under {@code apps}.
 */
@Service
@Transactional
class PreviewService {

  /** The preview of pull request N is {@code pr-N}. */
  static final String PULL_REQUEST_PREFIX = "pr-";

  private final AppRepository apps;
  private final Catalog catalog;
  private final TenantAccess access;
  private final QuotaGate quotas;
  private final AuditLog audit;
  private final CatalogEvents events;

  PreviewService(
      AppRepository apps,
      Catalog catalog,
      TenantAccess access,
      QuotaGate quotas,
      AuditLog audit,
      CatalogEvents events) {
    this.apps = apps;
    this.catalog = catalog;
    this.access = access;
    this.quotas = quotas;
    this.audit = audit;
    this.events = events;
  }

  /** The preview and whether this call created it ({@code false}: it existed). */
  record Outcome(PreviewView preview, boolean created) {}

  /**
   * Creates the preview, or answers the existing one with what {@code push} tells recorded on it.
   * Idempotent: calls for one app take turns on its row, so a repeat finds the first one's preview.
   */
  Outcome put(
      Actor actor,
      String tenant,
      String projectName,
      String appName,
      String name,
      PutPreview push) {
    TenantRef ref = CatalogRules.requireUser(access, actor, tenant, Role.DEVELOPER);
    Project project = catalog.project(ref, projectName);
    return make(actor, ref, project, parent(ref, project, appName), name, push);
  }

  /**
   * As {@link #put}, for a pull request's webhook delivery (issue 25): made by build-service's own
   * grant as {@code webhook} ({@code github webhook (octocat)}), since a delivery has no user; the
   * app's webhook secret, which only a developer can read, is what authorised it. The grant is
   * bounded to what a delivery may do: only an external-git app (the only kind with a webhook),
   * only the preview {@code pr-<pullRequest>}, and a fork's only when the project allows forks.
   */
  Outcome putForWebhook(
      Actor service,
      String webhook,
      String tenant,
      String projectName,
      String appName,
      String name,
      PutPreview push,
      boolean fork) {
    TenantRef ref = access.require(service, tenant, Role.DEVELOPER);
    Project project = catalog.project(ref, projectName);
    App parent = webhookParent(ref, project, appName, name);
    if (push.pullRequest() == null || !name.equals(PULL_REQUEST_PREFIX + push.pullRequest())) {
      throw Problem.invalid(
          "not-a-pull-request-preview",
          "A webhook makes only the preview pr-<pullRequest>; '"
              + name
              + "' is not pr-"
              + push.pullRequest());
    }
    if (fork && !project.getPreviewAllowForks()) {
      throw new Problem(
          HttpStatus.FORBIDDEN,
          "forks-not-allowed",
          "Forbidden",
          "The project '"
              + tenant
              + "/"
              + projectName
              + "' does not allow previews of pull requests from forks; a tenant-admin allows"
              + " them with PUT .../preview-settings {\"allowForks\": true}");
    }
    return make(new Actor(webhook, false, true), ref, project, parent, name, push);
  }

  /** Deletes a pull request's preview for its webhook's close or merge (see putForWebhook). */
  void deleteForWebhook(
      Actor service,
      String webhook,
      String tenant,
      String projectName,
      String appName,
      String name) {
    TenantRef ref = access.require(service, tenant, Role.DEVELOPER);
    Project project = catalog.project(ref, projectName);
    App parent = lock(webhookParent(ref, project, appName, name), ref, project);
    remove(
        new Actor(webhook, false, true),
        catalog.tenant(ref),
        project,
        preview(ref, project, parent, name));
  }

  /** The external-git app a webhook delivery may make or delete the pull request preview of. */
  private App webhookParent(TenantRef ref, Project project, String appName, String name) {
    App parent = parent(ref, project, appName);
    if (parent.getSource() != AppSource.EXTERNAL_GIT) {
      throw Problem.invalid(
          "not-external-git",
          "Only an external-git app's webhook makes previews; '" + appName + "' is not one");
    }
    if (!name.matches(PULL_REQUEST_PREFIX + "[1-9][0-9]{0,8}")) {
      throw Problem.invalid(
          "not-a-pull-request-preview",
          "A webhook makes and deletes only previews named pr-<pull request number>");
    }
    return parent;
  }

  private Outcome make(
      Actor actor, TenantRef ref, Project project, App unlocked, String name, PutPreview push) {
    String tenant = ref.name();
    String projectName = project.getName();
    String appName = unlocked.getName();
    App parent = lock(unlocked, ref, project);
    // its own row too: a replace-oldest create in another app may be deleting it, and then this
    // call finds it gone and makes it anew rather than updating a row that no longer exists
    App existing =
        apps.findByParentAndPreviewName(parent, name)
            .flatMap(found -> apps.lock(found.getId()))
            .orElse(null);
    if (existing != null) {
      PreviewView before = PreviewView.of(existing);
      if (existing.describe(push)) {
        apps.flush();
        PreviewView after = PreviewView.of(existing);
        audit.record(
            actor, tenant, "preview.updated", path(tenant, project, existing), before, after);
        return new Outcome(after, false);
      }
      return new Outcome(before, false);
    }
    String host = AppHosts.previewLabel(tenant, projectName, parent.getName(), name);
    if (project.getPreviewPolicy() == PreviewPolicy.REPLACE_OLDEST
        && !quotas.previewFits(ref.id(), project)) {
      replaceOldest(actor, catalog.tenant(ref), project, Previews.appName(name, appName));
    }
    quotas.admitPreview(ref.id(), tenant, project);
    String id = CatalogIds.issue(CatalogIds.APP, apps::existsByPublicId);
    App preview;
    try {
      preview = apps.saveAndFlush(App.preview(id, parent, name, host, push, actor.name()));
    } catch (DataIntegrityViolationException raced) {
      // only a name or host from before the '--' rule can hold this host
      throw CatalogRules.violated(raced, "app_host_label")
          ? CatalogRules.hostTaken(host)
          : Problem.conflict(
              "already-exists",
              "App '"
                  + tenant
                  + "/"
                  + projectName
                  + "/"
                  + Previews.appName(name, appName)
                  + "'"
                  + " already exists");
    }
    PreviewView view = PreviewView.of(preview);
    audit.record(actor, tenant, "preview.created", path(tenant, project, preview), null, view);
    return new Outcome(view, true);
  }

  /** The app's previews, newest first. */
  @Transactional(readOnly = true)
  Page<PreviewView> list(
      Actor actor, String tenant, String projectName, String appName, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    return apps.findByParent(parent(ref, project, appName), pageable).map(PreviewView::of);
  }

  @Transactional(readOnly = true)
  PreviewView get(Actor actor, String tenant, String projectName, String appName, String name) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    Project project = catalog.project(ref, projectName);
    return PreviewView.of(preview(ref, project, parent(ref, project, appName), name));
  }

  /** Deletes the preview as an app is deleted: an {@code app.deleted} event under its app id. */
  void delete(Actor actor, String tenant, String projectName, String appName, String name) {
    TenantRef ref = CatalogRules.requireUser(access, actor, tenant, Role.DEVELOPER);
    Project project = catalog.project(ref, projectName);
    App parent = lock(parent(ref, project, appName), ref, project);
    remove(actor, catalog.tenant(ref), project, preview(ref, project, parent, name));
  }

  /** Removes the preview, writing its deletion event and audit record; in the caller's change. */
  void remove(Actor actor, Tenant owner, Project project, App preview) {
    remove(actor, owner, project, preview, "preview.deleted", null);
  }

  /**
   * As {@link #remove(Actor, Tenant, Project, App)}, audited as {@code action} with {@code why} (a
   * reason, not a state: the preview is gone) in the record's {@code after}.
   */
  void remove(Actor actor, Tenant owner, Project project, App preview, String action, Object why) {
    PreviewView before = PreviewView.of(preview);
    apps.delete(preview);
    apps.flush();
    events.appDeleted(
        owner.getPublicId(),
        project.getPublicId(),
        preview.getPublicId(),
        owner.getName(),
        project.getName(),
        preview.getName());
    audit.record(
        actor, owner.getName(), action, path(owner.getName(), project, preview), before, why);
  }

  /** Why a preview was deleted to make room for another under {@code replace-oldest}. */
  record Replaced(String reason, String replacedBy) {}

  /**
   * Deletes the project's least recently updated preview for {@code newcomer}. The caller holds the
   * tenant's quota lock, so concurrent creates take turns here and each frees at most one slot.
   * None is deleted when the project has none (the tenant's quota is full with other projects'):
   * the admission that follows refuses.
   */
  private void replaceOldest(Actor actor, Tenant owner, Project project, String newcomer) {
    apps.findFirstByProjectIdAndParentIsNotNullOrderByUpdatedAtAscIdAsc(project.getId())
        .ifPresent(
            oldest ->
                remove(
                    actor,
                    owner,
                    project,
                    oldest,
                    "preview.replaced",
                    new Replaced("replaced-by-" + newcomer, newcomer)));
  }

  /** Removes every preview of {@code parent}, oldest first, before the parent itself goes. */
  void removeAll(Actor actor, Tenant owner, Project project, App parent) {
    App locked = apps.lock(parent.getId()).orElseThrow();
    for (App preview : apps.findByParentOrderById(locked)) {
      remove(actor, owner, project, preview);
    }
  }

  /** The app whose previews are asked for: a 404 when absent or itself a preview. */
  private App parent(TenantRef ref, Project project, String appName) {
    App app = catalog.app(ref, project, appName);
    if (app.isPreview()) {
      throw Problem.notFound(
          "'"
              + ref.name()
              + "/"
              + project.getName()
              + "/"
              + appName
              + "' is a preview of '"
              + app.getParent().getName()
              + "'; a preview has no previews of its own");
    }
    return app;
  }

  private App lock(App parent, TenantRef ref, Project project) {
    // gone when a deletion committed while this call waited for the row
    return apps.lock(parent.getId())
        .orElseThrow(
            () ->
                Problem.notFound(
                    "app", ref.name() + "/" + project.getName() + "/" + parent.getName()));
  }

  private App preview(TenantRef ref, Project project, App parent, String name) {
    return apps.findByParentAndPreviewName(parent, name)
        .orElseThrow(
            () ->
                Problem.notFound(
                    "preview",
                    ref.name()
                        + "/"
                        + project.getName()
                        + "/"
                        + parent.getName()
                        + "/previews/"
                        + name));
  }

  /** The preview's path as an app's, as app events name theirs: {@code tenant/project/app}. */
  private static String path(String tenant, Project project, App preview) {
    return tenant + "/" + project.getName() + "/" + preview.getName();
  }
}
