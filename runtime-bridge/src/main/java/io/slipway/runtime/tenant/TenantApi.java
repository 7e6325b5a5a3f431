package io.slipway.runtime.tenant;

import io.slipway.kit.catalog.CatalogEvent;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.validation.AppNames;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.ProjectQuota;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * tenant-service, the source of authorization and quota, as runtime-bridge needs it (on the shared
 * {@link TenantService} client). Access is asked with the caller's own token (tenant-service
 * decides; a tenant the caller is not in is 404, as it would be there); compute is reserved and
 * released with runtime-bridge's service token.
 */
public class TenantApi {

  private static final Logger log = LoggerFactory.getLogger(TenantApi.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,19}[a-z0-9])?");
  private static final Pattern ID = Pattern.compile("a[a-z2-7]{11}");

  /** The measured-usage key of the activations count. */
  public static final String ACTIVATIONS_KEY = "activations";

  /** The measured-usage key of the VMs' disks (their volumes on the podman host). */
  public static final String VM_DISKS_KEY = "vm-disks";

  /** Where the two questions of one access check are asked at once. */
  private static final ExecutorService CALLS = Executors.newVirtualThreadPerTaskExecutor();

  private final TenantService tenantService;

  public TenantApi(TenantService tenantService) {
    this.tenantService = tenantService;
  }

  /** The compute one revision holds. */
  public record Compute(long cpuMillicores, long memoryMib, long replicas) {}

  /**
   * The app with its ids and host as tenant-service's catalog answers it, when the caller may see
   * it (404 otherwise, exactly as tenant-service answers) and, when {@code change}, holds at least
   * the developer role in its tenant (403 otherwise). One call answers both the access question and
   * the ids every runtime name is made from.
   */
  public AppRef requireAccess(
      String tenantName, String projectName, String appName, String callerToken, boolean change) {
    String path = tenantName + "/" + projectName + "/" + appName;
    if (!NAME.matcher(tenantName).matches()
        || !NAME.matcher(projectName).matches()
        || !AppNames.isAppName(appName)) {
      throw Problem.notFound("App", path);
    }
    String caller = ServiceClients.bearer(callerToken);
    // both questions at once; the tenant's answer is only looked at once the app is visible
    CompletableFuture<TenantService.App> app =
        ask(() -> tenantService.app(tenantName, projectName, appName, caller));
    CompletableFuture<TenantService.Tenant> tenant =
        change ? ask(() -> tenantService.tenant(tenantName, caller)) : null;
    TenantService.App seen = await(app, "read the app", () -> Problem.notFound("App", path));
    AppRef ref =
        new AppRef(
            seen.tenant(),
            seen.project(),
            seen.name(),
            seen.tenantId(),
            seen.projectId(),
            seen.id(),
            seen.hostLabel());
    if (!change) {
      return ref;
    }
    String role = await(tenant, "read the tenant", null).role();
    // No role but visible: a platform admin, who may do everything.
    if ("viewer".equals(role)) {
      throw Problem.forbidden(
          "Changing an app (deploys, scaling, configuration, domains, stop and start) needs the developer role in tenant '"
              + ref.tenant()
              + "'");
    }
    return ref;
  }

  /**
   * A project the caller may see, by its ids, and whether the caller administers its tenant.
   *
   * @param tenantAdmin the tenant-admin role, or a platform admin (visible without a role)
   */
  public record ProjectAccess(String tenantId, String projectId, boolean tenantAdmin) {}

  /**
   * The project when the caller may see it (404 otherwise, exactly as tenant-service answers), with
   * whether the caller may administer its tenant.
   */
  public ProjectAccess requireProject(String tenantName, String projectName, String callerToken) {
    String path = tenantName + "/" + projectName;
    if (!NAME.matcher(tenantName).matches() || !NAME.matcher(projectName).matches()) {
      throw Problem.notFound("Project", path);
    }
    String caller = ServiceClients.bearer(callerToken);
    CompletableFuture<TenantService.Project> project =
        ask(() -> tenantService.project(tenantName, projectName, caller));
    CompletableFuture<TenantService.Tenant> tenant =
        ask(() -> tenantService.tenant(tenantName, caller));
    TenantService.Project seen =
        await(project, "read the project", () -> Problem.notFound("Project", path));
    String role = await(tenant, "read the tenant", null).role();
    // No role but visible: a platform admin, who may do everything.
    return new ProjectAccess(
        seen.tenantId(), seen.id(), role == null || role.isEmpty() || "tenant-admin".equals(role));
  }

  /**
   * Up to {@code limit} catalog events (deletions) after {@code seq}, oldest first, read from
   * tenant-service's internal feed with runtime-bridge's service token.
   */
  public List<CatalogEvent> events(long seq, int limit) {
    TenantService.EventPage page = call(() -> tenantService.events(seq, limit), "read events");
    return page == null || page.items() == null ? List.of() : page.items();
  }

  /** How many apps one page of {@link #apps()} asks for. */
  private static final int APPS_PAGE = 500;

  /**
   * Every app tenant-service has, read whole (page by page) with runtime-bridge's own token: what
   * exists, deployed or not. An app whose names or ids this bridge cannot hold is left out.
   */
  public List<AppRef> apps() {
    List<AppRef> apps = new ArrayList<>();
    String after = "";
    while (true) {
      String cursor = after;
      TenantService.AppPage page =
          call(() -> tenantService.apps(APPS_PAGE, cursor), "list the apps");
      List<TenantService.CatalogApp> items =
          page == null || page.items() == null ? List.of() : page.items();
      for (TenantService.CatalogApp app : items) {
        try {
          apps.add(
              new AppRef(
                  app.tenant(),
                  app.project(),
                  app.app(),
                  app.tenantId(),
                  app.projectId(),
                  app.appId(),
                  app.hostLabel()));
        } catch (IllegalArgumentException unusable) {
          // an app from before today's naming rules: it has no host the router could answer
        }
      }
      String next = page == null || page.next() == null ? "" : page.next();
      if (items.isEmpty() || next.equals(after) || !ID.matcher(next).matches()) {
        return apps;
      }
      after = next;
    }
  }

  /** Reserves compute under an idempotency key; over quota is tenant-service's 409 as is. */
  public void reserve(AppRef ref, String key, Compute compute) {
    TenantService.Reservation reservation =
        new TenantService.Reservation(
            key,
            ref.project(),
            ref.app(),
            compute.cpuMillicores(),
            compute.memoryMib(),
            compute.replicas(),
            null,
            null);
    try {
      tenantService.reserve(ref.tenant(), reservation);
    } catch (RestClientResponseException e) {
      if (e.getStatusCode().value() == 409) {
        throw forwarded(e);
      }
      throw answered(e, "reserve compute");
    } catch (RestClientException e) {
      throw unreachable("reserve compute", e);
    }
  }

  /**
   * The quota in force for the app's project (its own limits, else its tenant's), read with
   * runtime-bridge's service token: what the kubernetes driver renders as ResourceQuota and
   * LimitRange. Empty when tenant-service does not answer it.
   */
  public Optional<ProjectQuota> projectQuota(AppRef ref) {
    TenantService.ProjectQuota quota;
    try {
      quota = tenantService.projectQuota(ref.tenant(), ref.project());
    } catch (RestClientException e) {
      return Optional.empty();
    }
    if (quota == null) {
      return Optional.empty();
    }
    TenantService.ProjectQuota.Limits effective =
        quota.effective() == null
            ? new TenantService.ProjectQuota.Limits(null, null, null, null)
            : quota.effective();
    return Optional.of(
        new ProjectQuota(effective.cpuMillicores(), effective.memoryMib(), effective.replicas()));
  }

  /**
   * How many functions' activations the tenant may keep ({@code activations} of its quota), read
   * with runtime-bridge's service token. Empty when tenant-service does not answer it (the caller
   * keeps its own cap meanwhile).
   */
  public OptionalLong activationsLimit(String tenant) {
    try {
      TenantService.QuotaView quota = tenantService.serviceTenantQuota(tenant);
      Long limit = quota == null || quota.limits() == null ? null : quota.limits().activations();
      return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    } catch (RestClientException e) {
      log.warn("The activations quota of tenant {} could not be read: {}", tenant, e.getMessage());
      return OptionalLong.empty();
    }
  }

  /**
   * Refuses {@code requestedMib} more storage for the tenant when it would pass the tenant's {@code
   * storageMib} quota, or when that quota is used up already (409 {@code quota-exceeded}, worded
   * and shaped as tenant-service words its own refusals). Storage is measured, not reserved: the
   * tenant's usage is tenant-service's ledger (what services measured on disk, VM disks included,
   * and reservations), read with runtime-bridge's service token. A tenant-service that cannot be
   * asked refuses it too (503): the quota cannot be checked.
   */
  public void requireStorage(String tenant, long requestedMib) {
    TenantService.QuotaView quota;
    try {
      quota = tenantService.serviceTenantQuota(tenant);
    } catch (RestClientException e) {
      throw unreachable("check the storage quota", e);
    }
    Long limit = quota == null || quota.limits() == null ? null : quota.limits().storageMib();
    if (limit == null) {
      return;
    }
    Long measured = quota.used() == null ? null : quota.used().storageMib();
    long used = measured == null ? 0 : measured;
    if (used + requestedMib > limit || used >= limit) {
      throw Problem.conflict(
              "quota-exceeded",
              "The tenant quota for storageMib is "
                  + limit
                  + ": "
                  + used
                  + " in use, "
                  + requestedMib
                  + " requested")
          .with("scope", "tenant")
          .with("resource", "storageMib")
          .with("limit", limit)
          .with("used", used)
          .with("requested", requestedMib);
    }
  }

  /** What a measurement sent to tenant-service came to. */
  public enum Reported {
    /** Recorded: the tenant's usage shows it. */
    RECORDED,
    /** The tenant is gone: there is nothing to report to. */
    NO_TENANT,
    /** tenant-service did not take it now; send it again later. */
    FAILED
  }

  /**
   * Reports how much the tenant's VMs' disks take on the host, as measured storage under the key
   * {@code vm-disks}: it replaces the last report, so sending it twice is harmless.
   */
  public Reported reportVmDisks(String tenant, long storageMib) {
    try {
      tenantService.recordMeasured(
          tenant, VM_DISKS_KEY, TenantService.Measured.storage(storageMib));
      return Reported.RECORDED;
    } catch (RestClientResponseException e) {
      if (e.getStatusCode().value() == 404) {
        return Reported.NO_TENANT;
      }
      log.warn("Tenant {}'s VM disks were not reported: {}", tenant, e.getMessage());
      return Reported.FAILED;
    }
  }

  /**
   * Reports how many activations the bridge keeps of the tenant, as measured usage under the key
   * {@code activations}: it replaces the last report, so sending it twice is harmless.
   */
  public Reported reportActivations(String tenant, long kept) {
    try {
      tenantService.recordMeasured(
          tenant, ACTIVATIONS_KEY, TenantService.Measured.activations(kept));
      return Reported.RECORDED;
    } catch (RestClientResponseException e) {
      if (e.getStatusCode().value() == 404) {
        return Reported.NO_TENANT;
      }
      log.warn("Tenant {}'s activations were not reported: {}", tenant, e.getMessage());
      return Reported.FAILED;
    } catch (RestClientException e) {
      log.warn("Tenant {}'s activations were not reported: {}", tenant, e.getMessage());
      return Reported.FAILED;
    }
  }

  /** Releases a reservation; releasing one already released is fine. */
  public void release(String tenant, String key) {
    try {
      tenantService.release(tenant, key, null);
    } catch (RestClientResponseException e) {
      if (e.getStatusCode().value() != 404) {
        throw answered(e, "release compute");
      }
    } catch (RestClientException e) {
      throw unreachable("release compute", e);
    }
  }

  private static Problem forwarded(RestClientResponseException e) {
    JsonNode problem = JSON.readTree(e.getResponseBodyAsString());
    String type = problem.path("type").asString("");
    Problem forwarded =
        new Problem(
            HttpStatusCode.valueOf(e.getStatusCode().value()),
            type.substring(type.lastIndexOf('/') + 1),
            problem.path("title").asString("Conflict"),
            problem.path("detail").asString("tenant-service refused the reservation"));
    for (String member : new String[] {"scope", "resource", "limit", "used", "requested"}) {
      if (problem.has(member)) {
        forwarded.with(member, JSON.convertValue(problem.get(member), Object.class));
      }
    }
    return forwarded;
  }

  /** What a call tenant-service answered with an error becomes here. */
  private static Problem answered(RestClientResponseException e, String what) {
    int status = e.getStatusCode().value();
    if (status == 401) {
      return new Problem(
          HttpStatusCode.valueOf(401), "unauthorized", "Unauthorized", "The token was refused");
    }
    if (status == 403) {
      return Problem.forbidden("tenant-service refused to " + what);
    }
    return Problem.unavailable("tenant-service could not " + what + " (" + status + ")");
  }

  /** The caller is told tenant-service is unreachable; the log keeps why (refused, timed out). */
  private static Problem unreachable(String what, Throwable cause) {
    log.warn("tenant-service could not be asked to {}", what, cause);
    return Problem.unavailable("tenant-service is unreachable");
  }

  private static <T> T call(Supplier<T> call, String what) {
    try {
      return call.get();
    } catch (RestClientResponseException e) {
      throw answered(e, what);
    } catch (RestClientException e) {
      throw unreachable(what, e);
    }
  }

  private static <T> CompletableFuture<T> ask(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, CALLS);
  }

  /** The answer of a call made with {@link #ask}; a 404 becomes {@code notFound} (when given). */
  private static <T> T await(CompletableFuture<T> answer, String what, Supplier<Problem> notFound) {
    try {
      T value = answer.join();
      if (value == null) {
        throw Problem.unavailable("tenant-service answered nothing to " + what);
      }
      return value;
    } catch (CompletionException e) {
      if (e.getCause() instanceof RestClientResponseException answered) {
        if (notFound != null && answered.getStatusCode().value() == 404) {
          throw notFound.get();
        }
        throw answered(answered, what);
      }
      throw unreachable(what, e.getCause());
    }
  }
}
