package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import java.time.Instant;

/** What the API shows of catalog objects. */
final class Views {

  private Views() {}

  /** {@code id} is immutable and opaque; the name is what URLs use. */
  record TenantView(
      String id, String name, String displayName, Instant createdAt, String createdBy, Role role) {
    static TenantView of(Tenant tenant, Role role) {
      return new TenantView(
          tenant.getPublicId(),
          tenant.getName(),
          tenant.getDisplayName(),
          tenant.getCreatedAt(),
          tenant.getCreatedBy(),
          role);
    }
  }

  record ProjectView(
      String id,
      String tenantId,
      String tenant,
      String name,
      String displayName,
      Instant createdAt,
      String createdBy) {
    static ProjectView of(Tenant tenant, Project project) {
      return new ProjectView(
          project.getPublicId(),
          tenant.getPublicId(),
          tenant.getName(),
          project.getName(),
          project.getDisplayName(),
          project.getCreatedAt(),
          project.getCreatedBy());
    }
  }

  /**
   * An app. {@code hostLabel} is the label reserved for it alone: it answers at {@code
   * <hostLabel>.apps.<domain>}. {@code parent} is the name of the app a preview previews (null for
   * an app).
   */
  record AppView(
      String id,
      String tenantId,
      String projectId,
      String tenant,
      String project,
      String name,
      String hostLabel,
      AppSource source,
      String sourceRef,
      Instant createdAt,
      String createdBy,
      String parent) {
    static AppView of(Tenant tenant, Project project, App app) {
      return new AppView(
          app.getPublicId(),
          tenant.getPublicId(),
          project.getPublicId(),
          tenant.getName(),
          project.getName(),
          app.getName(),
          app.getHostLabel(),
          app.getSource(),
          app.getSourceRef(),
          app.getCreatedAt(),
          app.getCreatedBy(),
          app.isPreview() ? app.getParent().getName() : null);
    }
  }

  /**
   * A preview (issue 25): {@code name} is its own, {@code app} the name it has as an app ({@code
   * <name>--<parent>}), by which every per-app API addresses it, and {@code appId} its app id.
   */
  record PreviewView(
      String name,
      String app,
      String appId,
      String parent,
      String hostLabel,
      Integer pullRequest,
      String branch,
      String commit,
      Instant createdAt,
      String createdBy,
      Instant updatedAt) {
    static PreviewView of(App preview) {
      return new PreviewView(
          preview.getPreviewName(),
          preview.getName(),
          preview.getPublicId(),
          preview.getParent().getName(),
          preview.getHostLabel(),
          preview.getPullRequest(),
          preview.getBranch(),
          preview.getCommit(),
          preview.getCreatedAt(),
          preview.getCreatedBy(),
          preview.getUpdatedAt());
    }
  }

  record MemberView(String username, Role role, Instant since) {
    static MemberView of(Membership membership) {
      return new MemberView(membership.username(), membership.role(), membership.createdAt());
    }
  }
}
