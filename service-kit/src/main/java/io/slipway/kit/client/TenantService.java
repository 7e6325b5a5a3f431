package io.slipway.kit.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.kit.catalog.CatalogEvent;
import java.time.Instant;
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
public interface TenantService extends TenantViews {

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
      String sourceRef,
      String parent) {}

  /**
   * A preview of an app (issue 25): {@code name} its own ({@code pr-12}), {@code app} its app name
   * ({@code pr-12--web}) with its own id and host label, {@code parent} the app it previews. {@code
   * pullRequest} is the pull request's number for a webhook's preview (null for a push's); {@code
   * createdBy} the pusher, or the delivery ({@code github webhook (octocat)}); {@code updatedAt}
   * moves with each push that changed what it records.
   */
  record Preview(
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
      Instant updatedAt) {}

  /**
   * What build-service tells tenant-service of a push to {@code preview/<name>} ({@code pushedBy})
   * or of a pull request's webhook delivery ({@code webhook}, {@code pullRequest}, {@code fork}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PushedPreview(
      String pushedBy,
      String webhook,
      Integer pullRequest,
      Boolean fork,
      String branch,
      String commit) {

    /** A push's. */
    public PushedPreview(String pushedBy, String branch, String commit) {
      this(pushedBy, null, null, null, branch, commit);
    }
  }

  /** A project's preview settings, as far as build-service needs them. */
  record PreviewSettings(boolean allowForks) {}

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

  /**
   * A figure a service measured of a tenant: its storage (build-service) or the activations it
   * keeps (runtime-bridge). Only the figure given (non-null) is sent: naming the other is refused.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Measured(Long storageMib, Long activations) {

    public static Measured storage(long storageMib) {
      return new Measured(storageMib, null);
    }

    public static Measured activations(long activations) {
      return new Measured(null, activations);
    }
  }

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

  /**
   * Makes (201) or answers (200) the preview {@code preview} of {@code app} for a push to {@code
   * preview/<preview>}, as {@code pushedBy} (build-service only; the pusher must be a developer).
   */
  @PutExchange("/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
  Preview pushPreview(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestBody PushedPreview push);

  /**
   * Deletes the preview of the pull request a webhook delivery ({@code webhook}: {@code github
   * webhook (octocat)}) closed or merged (404: none).
   */
  @DeleteExchange("/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
  void deleteWebhookPreview(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestParam String webhook);

  /** The project's preview settings, read with the calling service's token. */
  @GetExchange("/tenants/{tenant}/projects/{project}/preview-settings")
  PreviewSettings previewSettings(@PathVariable String tenant, @PathVariable String project);

  /** Deletes the preview a push deleted the branch of, as {@code pushedBy} (404: none). */
  @DeleteExchange("/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
  void deletePushedPreview(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestParam String pushedBy);

  @GetExchange("/tenants/{tenant}/members")
  MemberPage members(@PathVariable String tenant, @RequestParam int page, @RequestParam int size);

  @GetExchange("/tenants/{tenant}/projects/{project}/quota")
  ProjectQuota projectQuota(@PathVariable String tenant, @PathVariable String project);

  /** The tenant's quota and usage, read with the calling service's token. */
  @GetExchange("/tenants/{tenant}/quota")
  QuotaView serviceTenantQuota(@PathVariable String tenant);

  /**
   * Reserves quota. Sent again once when the exchange fails (the key makes a repeat answer the
   * first result).
   */
  default void reserve(String tenant, Reservation reservation) {
    reserve(tenant, reservation.idempotencyKey(), reservation);
  }

  @PostExchange("/tenants/{tenant}/reservations")
  void reserve(
      @PathVariable String tenant,
      @RequestHeader(ServiceClients.IDEMPOTENCY_KEY) String key,
      @RequestBody Reservation reservation);

  /**
   * Releases a reservation; {@code buildMinutesUsed} (may be null) lowers its build minutes to what
   * was used. Sent again once when the exchange fails (releasing a released one changes nothing).
   */
  default void release(String tenant, String key, Long buildMinutesUsed) {
    release(tenant, key, key, buildMinutesUsed);
  }

  @DeleteExchange("/tenants/{tenant}/reservations/{key}")
  void release(
      @PathVariable String tenant,
      @PathVariable String key,
      @RequestHeader(ServiceClients.IDEMPOTENCY_KEY) String idempotencyKey,
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

  // ---- as the portal calls it, with the signed-in user's token (records in TenantViews) ----

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

  /** The tenant's projects the caller may see, by name. */
  @GetExchange("/tenants/{tenant}/projects")
  Page<ProjectView> projects(
      @PathVariable String tenant,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}/apps")
  Page<AppView> projectApps(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The app's previews, newest first. */
  @GetExchange("/tenants/{tenant}/projects/{project}/apps/{app}/previews")
  Page<Preview> previews(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
  Preview preview(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Deletes the preview as an app is deleted (its {@code app.deleted} event); 404 when absent. */
  @DeleteExchange("/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
  void deletePreview(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/tenants/{tenant}/projects/{project}/preview-settings")
  PreviewSettingsView previewSettingsView(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Sets the project's preview bounds (a tenant-admin); a field left out goes to its default. */
  @PutExchange("/tenants/{tenant}/projects/{project}/preview-settings")
  PreviewSettingsView putPreviewSettings(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestBody PreviewSettingsChange settings,
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
