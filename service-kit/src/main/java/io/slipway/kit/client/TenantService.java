package io.slipway.kit.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.kit.catalog.CatalogEvent;
import io.slipway.kit.tenant.QuotaResource;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;
import tools.jackson.databind.JsonNode;

/**
 * tenant-service's API as the other services call it: the one declarative client of it (made by
 * {@link ServiceClients#create}). Calls without an {@code Authorization} parameter carry the
 * calling service's own token; the others carry the caller's, so that tenant-service itself decides
 * what the caller may see. Path variables are encoded as single segments: a name holding {@code /}
 * or {@code ..} never reaches another endpoint.
 *
 * <p>Errors are Spring's {@code RestClientResponseException}s (a 404 is {@code
 * HttpClientErrorException.NotFound}); each service turns them into its own answers.
 */
@HttpExchange(url = "/api/v1", accept = "application/json")
public interface TenantService {

  /** A tenant as its caller sees it: the caller's role, or null for a platform admin. */
  record Tenant(String id, String name, String role) {}

  /** A project with its immutable ids. */
  record Project(String id, String tenantId, String name) {}

  /** An app in the catalog: its names, immutable ids, reserved host label and source. */
  record App(
      String tenant,
      String project,
      String name,
      String tenantId,
      String projectId,
      String id,
      String hostLabel,
      String source,
      String sourceRef) {}

  /** One member of a tenant and the role held there. */
  record Member(String username, String role) {}

  /** A page of members. */
  record MemberPage(List<Member> items, long total) {}

  /** A page of the internal catalog feed of deletions. */
  record EventPage(List<CatalogEvent> items, long next) {}

  /** An app as the internal listing gives it (every app, for the platform's own services). */
  record CatalogApp(
      String tenant,
      String project,
      String app,
      String tenantId,
      String projectId,
      String appId,
      String hostLabel) {}

  /** A page of the internal app listing; {@code next} is the cursor for the following page. */
  record AppPage(List<CatalogApp> items, String next) {}

  /** The quota in force for a project: its own limits, else its tenant's (null: no limit). */
  record ProjectQuota(Limits effective) {

    /** Limits by resource. */
    public record Limits(Long cpuMillicores, Long memoryMib, Long replicas, Long storageMib) {}
  }

  /**
   * A reservation of quota under an idempotency key: a retry with the same key answers the first
   * result. Only the resources given (non-null) are reserved.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Reservation(
      String idempotencyKey,
      String project,
      String app,
      Long cpuMillicores,
      Long memoryMib,
      Long replicas,
      Long concurrentBuilds,
      Long buildMinutes) {}

  /** A figure a service measured of a tenant's storage. */
  record Measured(long storageMib) {}

  /**
   * A question about a personal access token: is it good for {@code scope} (and role in tenant).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TokenQuestion(String token, String scope, String tenant) {}

  /**
   * tenant-service's answer about a token: 200 with its owner when granted, 422 with a {@code
   * reason} when not (the 422's body has the same shape).
   */
  record TokenAnswer(
      String id,
      String username,
      List<String> scopes,
      Instant expiresAt,
      String role,
      String reason) {}

  @GetExchange("/tenants/{tenant}")
  Tenant tenant(
      @PathVariable String tenant, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}")
  Project project(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The app as the caller may see it. */
  @GetExchange("/tenants/{tenant}/projects/{project}/apps/{app}")
  App app(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The app, asked with the service's own token. */
  @GetExchange("/tenants/{tenant}/projects/{project}/apps/{app}")
  App app(@PathVariable String tenant, @PathVariable String project, @PathVariable String app);

  /** Removes the app from the catalog, which releases its quota. */
  @DeleteExchange("/tenants/{tenant}/projects/{project}/apps/{app}")
  void deleteApp(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/members")
  MemberPage members(@PathVariable String tenant, @RequestParam int page, @RequestParam int size);

  @GetExchange("/tenants/{tenant}/projects/{project}/quota")
  ProjectQuota projectQuota(@PathVariable String tenant, @PathVariable String project);

  @PostExchange("/tenants/{tenant}/reservations")
  void reserve(@PathVariable String tenant, @RequestBody Reservation reservation);

  /**
   * Releases a reservation; {@code buildMinutesUsed} (may be null) lowers its build minutes to what
   * was used.
   */
  @DeleteExchange("/tenants/{tenant}/reservations/{key}")
  void release(
      @PathVariable String tenant,
      @PathVariable String key,
      @RequestParam(required = false) Long buildMinutesUsed);

  @PutExchange("/tenants/{tenant}/measured-usage/{key}")
  void recordMeasured(
      @PathVariable String tenant, @PathVariable String key, @RequestBody Measured measured);

  @GetExchange("/internal/events")
  EventPage events(@RequestParam long after, @RequestParam int limit);

  @GetExchange("/internal/apps")
  AppPage apps(@RequestParam int limit, @RequestParam String after);

  @PostExchange("/internal/tokens/verify")
  TokenAnswer verify(@RequestBody TokenQuestion question);

  /** Records one audit event, given as the JSON tenant-service's audit endpoint takes. */
  @PostExchange(url = "/internal/audit", contentType = "application/json")
  void audit(@RequestBody String eventJson);

  // ---- as the portal calls it, always with the signed-in user's token ----

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

  /** The caller's own tokens. */
  @GetExchange("/tokens")
  Page<Token> tokens(
      @RequestParam int size, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PostExchange("/tokens")
  CreatedToken createToken(
      @RequestBody NewToken token, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Revokes one of the caller's tokens; idempotent. */
  @DeleteExchange("/tokens/{id}")
  void revokeToken(
      @PathVariable long id, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * An amount of every quota dimension, by {@link QuotaResource#field()}: limits (null: none of its
   * own), usage or a reservation.
   */
  record Resources(
      Long cpuMillicores,
      Long memoryMib,
      Long apps,
      Long replicas,
      Long concurrentBuilds,
      Long buildMinutes,
      Long storageMib) {

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

  /** An app as the tenant API shows it; {@code source} is hosted-git, external-git or image. */
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

  /** A part of a tenant's storage a service measured on disk under its {@code key}. */
  record Measurement(String key, long storageMib) {}

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

  /** The tenants the caller belongs to (every tenant, for a platform admin). */
  @GetExchange("/tenants")
  Page<TenantView> tenants(
      @RequestParam int size, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}")
  TenantView tenantView(
      @PathVariable String tenant, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PostExchange("/tenants")
  TenantView createTenant(
      @RequestBody NewTenant tenant,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/quota")
  QuotaView tenantQuota(
      @PathVariable String tenant, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/usage")
  TenantUsage usage(
      @PathVariable String tenant,
      @RequestParam int size,
      @RequestParam int page,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/usage/history")
  UsageHistory usageHistory(
      @PathVariable String tenant,
      @RequestParam int days,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/members")
  Page<MemberView> tenantMembers(
      @PathVariable String tenant,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Invites {@code username} with {@code role}, or changes the member's role. */
  @PutExchange("/tenants/{tenant}/members/{username}")
  MemberView putMember(
      @PathVariable String tenant,
      @PathVariable String username,
      @RequestBody MemberRole role,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @DeleteExchange("/tenants/{tenant}/members/{username}")
  void removeMember(
      @PathVariable String tenant,
      @PathVariable String username,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PostExchange("/tenants/{tenant}/projects")
  ProjectView createProject(
      @PathVariable String tenant,
      @RequestBody NewProject project,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}")
  ProjectView projectView(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}/quota")
  ProjectQuotaView projectQuotaView(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}/apps")
  Page<AppView> projectApps(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PostExchange("/tenants/{tenant}/projects/{project}/apps")
  AppView createApp(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestBody NewApp app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * Every tenant with usage against quota, for platform admins; {@code sort} as {@code apps,desc}.
   */
  @GetExchange("/admin/tenants")
  Page<TenantOverview> overview(
      @RequestParam("q") String search,
      @RequestParam String sort,
      @RequestParam int page,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Sets a tenant's limits: every resource field is required. */
  @PutExchange("/tenants/{tenant}/quota")
  QuotaView putTenantQuota(
      @PathVariable String tenant,
      @RequestBody Map<String, Long> limits,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Sets a project's own limits: a field given as null defers to the tenant's. */
  @PutExchange("/tenants/{tenant}/projects/{project}/quota")
  ProjectQuotaView putProjectQuota(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestBody Map<String, Long> limits,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The platform's audit trail, newest first; null filters match everything. */
  @GetExchange("/admin/audit")
  Page<AuditEvent> audit(
      @RequestParam(required = false) String tenant,
      @RequestParam(required = false) String actor,
      @RequestParam int page,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
