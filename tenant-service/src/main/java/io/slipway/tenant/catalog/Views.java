package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import java.time.Instant;

/** What the API shows of catalog objects. */
final class Views {

  private Views() {}

  record TenantView(
      String name, String displayName, Instant createdAt, String createdBy, Role role) {
    static TenantView of(Tenant tenant, Role role) {
      return new TenantView(
          tenant.getName(),
          tenant.getDisplayName(),
          tenant.getCreatedAt(),
          tenant.getCreatedBy(),
          role);
    }
  }

  record ProjectView(
      String tenant, String name, String displayName, Instant createdAt, String createdBy) {
    static ProjectView of(String tenant, Project project) {
      return new ProjectView(
          tenant,
          project.getName(),
          project.getDisplayName(),
          project.getCreatedAt(),
          project.getCreatedBy());
    }
  }

  record AppView(
      String tenant,
      String project,
      String name,
      AppSource source,
      String sourceRef,
      Instant createdAt,
      String createdBy) {
    static AppView of(String tenant, String project, App app) {
      return new AppView(
          tenant,
          project,
          app.getName(),
          app.getSource(),
          app.getSourceRef(),
          app.getCreatedAt(),
          app.getCreatedBy());
    }
  }

  record MemberView(String username, Role role, Instant since) {
    static MemberView of(Membership membership) {
      return new MemberView(membership.username(), membership.role(), membership.createdAt());
    }
  }
}
