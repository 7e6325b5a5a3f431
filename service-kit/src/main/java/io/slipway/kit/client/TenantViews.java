package io.slipway.kit.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.kit.tenant.QuotaResource;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What tenant-service answers and takes as the portal calls it with the signed-in user's token:
 * pages, tokens, tenants, projects, apps, members, quotas, usage and the audit log, with the
 * service's own JSON names. They live apart from {@link TenantService} to keep the client's file
 * short; the client extends this interface, so its methods name them as its own (and {@code
 * TenantService.AppView} still reads), but imports name this interface.
 */
public interface TenantViews {

  /** One page of a list: every list of tenant-service's API is paged so. */
  record Page<T>(List<T> items, int page, int size, long total) {}

  /**
   * A personal access token in its owner's list: never its secret.
   *
   * @param scopes {@code api}, {@code git}
   * @param status {@code active}, {@code expired} or {@code revoked}
   */
  record Token(
      long id,
      String name,
      List<String> scopes,
      String prefix,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      Instant revokedAt,
      String status) {}

  /**
   * A token to create for the caller; {@code expiresInDays} null means tenant-service's default.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record NewToken(String name, List<String> scopes, Integer expiresInDays) {}

  /** A token just created: the one answer that holds its secret, {@code token}. */
  record CreatedToken(
      long id,
      String name,
      List<String> scopes,
      String prefix,
      Instant createdAt,
      Instant expiresAt,
      String token) {}

  /**
   * An amount of every quota dimension, by {@link QuotaResource#field()}: limits (null: none of its
   * own), usage or a reservation. {@code previews} (issue 25) is counted like {@code apps} but is
   * no {@link QuotaResource}: the quota forms that set the others leave it as it is.
   */
  record Resources(
      Long cpuMillicores,
      Long memoryMib,
      Long apps,
      Long replicas,
      Long concurrentBuilds,
      Long buildMinutes,
      Long storageMib,
      Long previews,
      Long activations) {

    /** The amount of the resource named {@code field} in JSON, or null when not set. */
    public Long amount(String field) {
      for (QuotaResource resource : QuotaResource.values()) {
        if (resource.field().equals(field)) {
          return amount(resource);
        }
      }
      return null;
    }

    /** The amount of {@code resource}, or null when not set. */
    public Long amount(QuotaResource resource) {
      return switch (resource) {
        case CPU_MILLICORES -> cpuMillicores;
        case MEMORY_MIB -> memoryMib;
        case APPS -> apps;
        case REPLICAS -> replicas;
        case CONCURRENT_BUILDS -> concurrentBuilds;
        case BUILD_MINUTES -> buildMinutes;
        case STORAGE_MIB -> storageMib;
        case ACTIVATIONS -> activations;
      };
    }
  }

  /** A tenant as the tenant API shows it; {@code role} is the caller's (null: platform admin). */
  record TenantView(
      String id,
      String name,
      String displayName,
      Instant createdAt,
      String createdBy,
      String role) {}

  /** A tenant to create; the caller becomes its tenant-admin. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record NewTenant(String name, String displayName) {}

  /** A project as the tenant API shows it. */
  record ProjectView(
      String id,
      String tenantId,
      String tenant,
      String name,
      String displayName,
      Instant createdAt,
      String createdBy) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record NewProject(String name, String displayName) {}

  /** An app as the tenant API shows it; {@code source} is hosted-git, external-git, image or vm. */
  record AppView(
      String id,
      String tenantId,
      String projectId,
      String tenant,
      String project,
      String name,
      String hostLabel,
      String source,
      String sourceRef,
      Instant createdAt,
      String createdBy) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record NewApp(String name, String source, String sourceRef) {}

  /**
   * A project's preview bounds (issue 25).
   *
   * @param previewTtl how long a preview may go without a push before the reaper deletes it ({@code
   *     7d}, {@code 36h})
   * @param previewTtlDefault whether that is the platform's default, the project having chosen none
   * @param previewPolicy {@code refuse} or {@code replace-oldest}: what a new preview does when the
   *     {@code previews} quota is full
   * @param allowForks whether a pull request from a fork gets a preview
   */
  record PreviewSettingsView(
      String previewTtl, boolean previewTtlDefault, String previewPolicy, boolean allowForks) {}

  /** Preview bounds to set; a field left null goes back to its default. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PreviewSettingsChange(String previewTtl, String previewPolicy, Boolean allowForks) {}

  /** A member of a tenant, the role held there and since when. */
  record MemberView(String username, String role, Instant since) {}

  /** The role to give a member (inviting one who is not yet a member). */
  record MemberRole(String role) {}

  /**
   * A tenant's quota and usage.
   *
   * @param overages by how much usage exceeds each limit it exceeds, by resource field
   */
  record QuotaView(Resources limits, Resources used, Map<String, Long> overages) {

    /** Whether usage of the resource named {@code field} is over its limit. */
    public boolean over(String field) {
      return overages != null && overages.containsKey(field);
    }
  }

  /** A project's own limits (null: its tenant's), the limits in force, and its usage. */
  record ProjectQuotaView(Resources limits, Resources effective, Resources used) {}

  /**
   * What a service measured of a tenant under its {@code key}: a part of its storage on disk, or
   * (key {@code activations}) the functions' activations it keeps.
   */
  record Measurement(String key, long storageMib, Long activations) {}

  /** A project's usage against its limits in force, and by how much it exceeds them. */
  record ProjectUsage(
      String project, Resources limits, Resources used, Map<String, Long> overages) {

    /** Whether usage of the resource named {@code field} is over its limit. */
    public boolean over(String field) {
      return overages != null && overages.containsKey(field);
    }
  }

  /** A tenant in the platform admins' overview. */
  record TenantOverview(
      String name,
      String displayName,
      Resources limits,
      Resources used,
      Map<String, Long> overages) {}

  /**
   * A change in the audit trail; {@code before} and {@code after} are the changed object's JSON as
   * recorded (any shape; null or JSON null when there is none).
   */
  record AuditEvent(
      long id,
      Instant at,
      String actor,
      String tenant,
      String action,
      String target,
      JsonNode before,
      JsonNode after) {}

  /**
   * A tenant's usage against quota, with a page of its projects'.
   *
   * @param measured the parts of {@code used.storageMib} services measured; the rest is reserved
   */
  record TenantUsage(
      String tenant,
      Resources limits,
      Resources used,
      List<Measurement> measured,
      Page<ProjectUsage> projects) {}

  /** A day's peak usage of a tenant. */
  record DayUsage(
      LocalDate day,
      long cpuMillicores,
      long memoryMib,
      long replicas,
      long concurrentBuilds,
      long storageMib) {}

  /** A tenant's usage day by day, oldest first. */
  record UsageHistory(String tenant, List<DayUsage> days) {}
}
