package io.slipway.build.tenant;

import io.slipway.kit.catalog.CatalogEvent;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import io.slipway.kit.tenant.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;

/**
 * What build-service asks tenant-service: whether a personal access token is good for git (and its
 * owner's role in the tenant pushed to), who is a member of a tenant with which role, an app's ids
 * and source, and the feed of deletions. Every call carries this service's client-credentials
 * token; nothing is cached, so a revoked token or a removed member loses access on the next
 * request.
 */
@Component
public class TenantClient {

  /** Whose a token is, and the owner's role in the tenant asked about (empty: not a member). */
  public record GitCaller(String username, Optional<Role> role) {}

  private static final int PAGE = 200;

  private final TenantService tenantService;
  private final TokenVerifier tokens;
  private final ServiceToken serviceToken;

  TenantClient(TenantService tenantService, TokenVerifier tokens, ServiceToken serviceToken) {
    this.tenantService = tenantService;
    this.tokens = tokens;
    this.serviceToken = serviceToken;
  }

  /**
   * The owner of {@code token} when it is active and has the {@code git} scope, with the owner's
   * role in {@code tenant}: one call for all a git request needs to know about its caller.
   */
  public Optional<GitCaller> verifyGitToken(String token, String tenant) {
    PersonalAccessTokenVerifier.Verification verified = tokens.verify(token, "git", tenant);
    return verified.granted()
        ? Optional.of(new GitCaller(verified.username(), verified.role().map(Role::of)))
        : Optional.empty();
  }

  /** The role of {@code username} in {@code tenant}; empty when not a member (or no tenant). */
  public Optional<Role> roleOf(String tenant, String username) {
    for (int page = 0; ; page++) {
      TenantService.MemberPage members;
      try {
        members = tenantService.members(tenant, page, PAGE);
      } catch (HttpClientErrorException.NotFound e) {
        return Optional.empty();
      }
      for (TenantService.Member member : members.items()) {
        if (member.username().equals(username)) {
          return Optional.of(Role.of(member.role()));
        }
      }
      if ((long) (page + 1) * PAGE >= members.total()) {
        return Optional.empty();
      }
    }
  }

  /**
   * An app as tenant-service's catalog describes it: its immutable ids, its reserved host label,
   * where its source comes from, and for a preview the app it previews.
   */
  public record CatalogApp(
      String id,
      String tenantId,
      String projectId,
      String hostLabel,
      String source,
      String sourceRef,
      String parent) {

    /** Whether the app is a preview of another (issue 25): it has no repository of its own. */
    public boolean preview() {
      return parent != null;
    }

    /** The ids images and repositories are named by. */
    public AppIds ids() {
      return new AppIds(tenantId, projectId, id);
    }

    /** Whether the app builds from an external git repository whose webhook triggers builds. */
    public boolean externalGit() {
      return "external-git".equals(source);
    }
  }

  /**
   * The app from tenant-service's catalog, or empty when it (or its tenant or project) is unknown.
   */
  public Optional<CatalogApp> app(String tenant, String project, String app) {
    try {
      TenantService.App found = tenantService.app(tenant, project, app);
      return Optional.ofNullable(found)
          .map(
              a ->
                  new CatalogApp(
                      a.id(),
                      a.tenantId(),
                      a.projectId(),
                      a.hostLabel(),
                      a.source(),
                      a.sourceRef(),
                      a.parent()));
    } catch (HttpClientErrorException.NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * What tenant-service answered a push to {@code preview/<name>}: the preview's app (its name and
   * ids), or why it refused (its problem's detail: the quota's limit and scope, a role).
   */
  public sealed interface PreviewAnswer {}

  /** The preview, made or found: its app name ({@code <name>--<app>}) and ids. */
  public record PreviewApp(String app, AppIds ids) implements PreviewAnswer {}

  /** Refused, with tenant-service's explanation. */
  public record PreviewRefused(String reason) implements PreviewAnswer {}

  /**
   * Makes or finds the preview {@code preview} of the app {@code parent} for {@code pushedBy}'s
   * push of {@code commit} to {@code branch} (tenant-service checks the pusher is a developer and
   * the {@code previews} quota), recording the branch and commit on it.
   */
  public PreviewAnswer pushPreview(
      AppIds parentIds,
      String tenant,
      String project,
      String parent,
      String preview,
      String pushedBy,
      String branch,
      String commit) {
    try {
      return putPreview(
          parentIds,
          tenant,
          project,
          parent,
          preview,
          new TenantService.PushedPreview(pushedBy, branch, commit));
    } catch (HttpClientErrorException e) {
      return new PreviewRefused(detail(e, e.getStatusText()));
    }
  }

  /**
   * Deletes the preview whose branch {@code pushedBy} deleted, as tenant-service deletes an app;
   * empty when done (or it was already gone), else why not.
   */
  public Optional<String> deletePushedPreview(
      String tenant, String project, String parent, String preview, String pushedBy) {
    try {
      tenantService.deletePushedPreview(tenant, project, parent, preview, pushedBy);
      return Optional.empty();
    } catch (HttpClientErrorException.NotFound e) {
      return Optional.empty();
    } catch (HttpClientErrorException e) {
      return Optional.of(detail(e, e.getStatusText()));
    }
  }

  /**
   * Makes or finds the preview {@code pr-<pullRequest>} of the external-git app {@code parent} for
   * a pull request's webhook delivery, by this service's own grant as {@code webhook} ({@code
   * github webhook (octocat)}), recording the pull request, branch and head commit.
   * tenant-service's refusal (the {@code previews} quota full, a fork the project does not allow,
   * the app gone) is thrown as the same problem: its status, type and detail.
   */
  public PreviewApp webhookPreview(
      AppIds parentIds,
      String tenant,
      String project,
      String parent,
      String webhook,
      int pullRequest,
      boolean fork,
      String branch,
      String commit) {
    try {
      return putPreview(
          parentIds,
          tenant,
          project,
          parent,
          "pr-" + pullRequest,
          new TenantService.PushedPreview(null, webhook, pullRequest, fork, branch, commit));
    } catch (HttpClientErrorException e) {
      throw relayed(e);
    }
  }

  private PreviewApp putPreview(
      AppIds parentIds,
      String tenant,
      String project,
      String parent,
      String preview,
      TenantService.PushedPreview told) {
    TenantService.Preview made = tenantService.pushPreview(tenant, project, parent, preview, told);
    return new PreviewApp(
        made.app(), new AppIds(parentIds.tenantId(), parentIds.projectId(), made.appId()));
  }

  /**
   * Deletes the preview {@code pr-<pullRequest>} of {@code parent} for a webhook delivery that
   * closed or merged it; false when it has none. Other refusals are thrown as tenant-service's.
   */
  public boolean deleteWebhookPreview(
      String tenant, String project, String parent, int pullRequest, String webhook) {
    try {
      tenantService.deleteWebhookPreview(tenant, project, parent, "pr-" + pullRequest, webhook);
      return true;
    } catch (HttpClientErrorException.NotFound e) {
      return false;
    } catch (HttpClientErrorException e) {
      throw relayed(e);
    }
  }

  /** Whether the project lets pull requests from forks have previews (tenant-service's setting). */
  public boolean previewsAllowForks(String tenant, String project) {
    TenantService.PreviewSettings settings = tenantService.previewSettings(tenant, project);
    return settings != null && settings.allowForks();
  }

  /** tenant-service's problem as this service's own: the same status, type and detail. */
  private static Problem relayed(HttpClientErrorException e) {
    Map<?, ?> problem = e.getResponseBodyAs(Map.class);
    Object type = problem == null ? null : problem.get("type");
    String slug =
        type == null ? "refused" : type.toString().substring(type.toString().lastIndexOf('/') + 1);
    return new Problem(
        e.getStatusCode(), slug, e.getStatusText(), detail(e, "tenant-service refused"));
  }

  /** The problem's {@code detail}, else {@code fallback}. */
  private static String detail(HttpClientErrorException e, String fallback) {
    var problem = e.getResponseBodyAs(Map.class);
    Object detail = problem == null ? null : problem.get("detail");
    return detail == null ? fallback : detail.toString();
  }

  /**
   * Up to {@code limit} catalog events (deletions) after {@code seq}, oldest first, from
   * tenant-service's internal feed, read with this service's token.
   */
  public List<CatalogEvent> events(long seq, int limit) {
    TenantService.EventPage page = tenantService.events(seq, limit);
    return page == null ? List.of() : page.items();
  }

  /**
   * Reserves one concurrent build and {@code buildMinutes} of the month's build minutes for the
   * build {@code key} (idempotent: a retry with the same key answers the first result).
   *
   * @return empty when granted, else tenant-service's explanation of the refusal
   */
  public Optional<String> reserveBuild(
      String tenant, String key, String project, String app, long buildMinutes) {
    try {
      tenantService.reserve(
          tenant,
          new TenantService.Reservation(key, project, app, null, null, null, 1L, buildMinutes));
      return Optional.empty();
    } catch (HttpClientErrorException.Conflict e) {
      return Optional.of(detail(e, "quota exceeded"));
    }
  }

  /** Releases the reservation {@code key}, lowering its build minutes to what was used. */
  public void releaseBuild(String tenant, String key, long buildMinutesUsed) {
    tenantService.release(tenant, key, buildMinutesUsed);
  }

  /**
   * Records what this service measured the tenant storing under {@code key} ({@code git}, {@code
   * images}, {@code build-store}), replacing the last figure under that key.
   */
  public void recordMeasured(String tenant, String key, long storageMib) {
    tenantService.recordMeasured(tenant, key, TenantService.Measured.storage(storageMib));
  }

  /** A tenant as its caller sees it: its immutable id, and the caller's role (null: none). */
  public record TenantSeen(String id, String name, Role role) {}

  /**
   * The tenant as the holder of {@code userToken} sees it; empty when the caller may not read it
   * (tenant-service answers 404 to non-members, exactly as for a missing tenant).
   */
  public Optional<TenantSeen> tenantAsSeenBy(String tenant, String userToken) {
    try {
      TenantService.Tenant seen = tenantService.tenant(tenant, ServiceClients.bearer(userToken));
      return Optional.ofNullable(seen)
          .map(t -> new TenantSeen(t.id(), t.name(), t.role() == null ? null : Role.of(t.role())));
    } catch (HttpClientErrorException.NotFound | HttpClientErrorException.Forbidden e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the holder of {@code userToken} (a Keycloak JWT or a personal access token) may read
   * {@code tenant}: tenant-service answers 404 to non-members, exactly as for a missing tenant.
   */
  public boolean canRead(String tenant, String userToken) {
    try {
      tenantService.tenant(tenant, ServiceClients.bearer(userToken));
      return true;
    } catch (HttpClientErrorException.NotFound | HttpClientErrorException.Forbidden e) {
      return false;
    }
  }

  /**
   * What a push is checked against: the project's storage quota in force and the tenant's, with
   * what the tenant holds (tenant-service's ledger: what services measured, by key, and what is
   * reserved beside). Figures are MiB; a null limit is none.
   *
   * @param projectLimitMib the project's {@code storageMib} in force (its own, else its tenant's)
   * @param projectUsedMib the project's storage in the ledger (reserved in the project; its
   *     repositories are measured for the tenant as a whole, so not in it)
   * @param tenantLimitMib the tenant's {@code storageMib}
   * @param tenantUsedMib all the tenant's storage in the ledger
   * @param measured the parts of it services measured, by key ({@code git}, {@code images}, {@code
   *     build-store}, …)
   */
  public record StorageStanding(
      Long projectLimitMib,
      long projectUsedMib,
      Long tenantLimitMib,
      long tenantUsedMib,
      Map<String, Long> measured) {}

  /**
   * The storage standing of {@code project} and its tenant, asked with this service's token (two
   * calls: the project's quota, the tenant's usage); empty when the project is unknown.
   */
  public Optional<StorageStanding> storageStanding(String tenant, String project) {
    String token = ServiceClients.bearer(serviceToken.get());
    try {
      TenantService.ProjectQuotaView quota = tenantService.projectQuotaView(tenant, project, token);
      TenantService.TenantUsage usage = tenantService.usage(tenant, 1, 0, token);
      Map<String, Long> measured = new java.util.LinkedHashMap<>();
      if (usage.measured() != null) {
        usage.measured().forEach(part -> measured.put(part.key(), part.storageMib()));
      }
      return Optional.of(
          new StorageStanding(
              quota.effective() == null ? null : quota.effective().storageMib(),
              quota.used() == null || quota.used().storageMib() == null
                  ? 0
                  : quota.used().storageMib(),
              usage.limits() == null ? null : usage.limits().storageMib(),
              usage.used() == null || usage.used().storageMib() == null
                  ? 0
                  : usage.used().storageMib(),
              measured));
    } catch (HttpClientErrorException.NotFound e) {
      return Optional.empty();
    }
  }
}
