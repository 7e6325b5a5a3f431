package io.slipway.runtime.tenant;

import io.slipway.kit.catalog.CatalogEvent;
import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.ProjectQuota;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * tenant-service, the source of authorization and quota. Access is asked with the caller's own
 * token (tenant-service decides; a tenant the caller is not in is 404, as it would be there);
 * compute is reserved and released with runtime-bridge's service token.
 */
public class TenantApi {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,19}[a-z0-9])?");
  private static final Pattern ID = Pattern.compile("a[a-z2-7]{11}");
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TenantApi.class);

  private final URI base;
  private final ServiceToken serviceToken;
  private final HttpClient http;

  public TenantApi(URI base, ServiceToken serviceToken, HttpClient http) {
    this.base = base;
    this.serviceToken = serviceToken;
    this.http = http;
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
        || !NAME.matcher(appName).matches()) {
      throw Problem.notFound("App", path);
    }
    // both questions at once; the tenant's answer is only looked at once the app is visible
    CompletableFuture<HttpResponse<String>> app =
        sendAsync(
            "GET",
            path("/api/v1/tenants/{t}/projects/{p}/apps/{a}", tenantName, projectName, appName),
            callerToken,
            null);
    CompletableFuture<HttpResponse<String>> tenant =
        change
            ? sendAsync("GET", path("/api/v1/tenants/{t}", tenantName), callerToken, null)
            : null;
    HttpResponse<String> appResponse = await(app);
    if (appResponse.statusCode() == 404) {
      throw Problem.notFound("App", path);
    }
    expectOk(appResponse, "read the app");
    AppRef ref = ref(JSON.readTree(appResponse.body()));
    if (!change) {
      return ref;
    }
    HttpResponse<String> tenantResponse = await(tenant);
    expectOk(tenantResponse, "read the tenant");
    String role = JSON.readTree(tenantResponse.body()).path("role").asString("");
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
    CompletableFuture<HttpResponse<String>> project =
        sendAsync(
            "GET",
            path("/api/v1/tenants/{t}/projects/{p}", tenantName, projectName),
            callerToken,
            null);
    CompletableFuture<HttpResponse<String>> tenant =
        sendAsync("GET", path("/api/v1/tenants/{t}", tenantName), callerToken, null);
    HttpResponse<String> projectResponse = await(project);
    if (projectResponse.statusCode() == 404) {
      throw Problem.notFound("Project", path);
    }
    expectOk(projectResponse, "read the project");
    JsonNode json = JSON.readTree(projectResponse.body());
    HttpResponse<String> tenantResponse = await(tenant);
    expectOk(tenantResponse, "read the tenant");
    String role = JSON.readTree(tenantResponse.body()).path("role").asString("");
    // No role but visible: a platform admin, who may do everything.
    return new ProjectAccess(
        json.path("tenantId").asString(),
        json.path("id").asString(),
        role.isEmpty() || "tenant-admin".equals(role));
  }

  private static AppRef ref(JsonNode app) {
    return new AppRef(
        app.path("tenant").asString(),
        app.path("project").asString(),
        app.path("name").asString(),
        app.path("tenantId").asString(),
        app.path("projectId").asString(),
        app.path("id").asString(),
        app.path("hostLabel").asString());
  }

  /**
   * Up to {@code limit} catalog events (deletions) after {@code seq}, oldest first, read from
   * tenant-service's internal feed with runtime-bridge's service token.
   */
  public List<CatalogEvent> events(long seq, int limit) {
    HttpResponse<String> response =
        send(
            "GET",
            "/api/v1/internal/events?after=" + seq + "&limit=" + limit,
            serviceToken.get(),
            null);
    expectOk(response, "read the catalog events");
    List<CatalogEvent> events = new ArrayList<>();
    for (JsonNode event : JSON.readTree(response.body()).path("items")) {
      events.add(
          new CatalogEvent(
              event.path("seq").asLong(),
              event.path("type").asString(),
              event.path("tenantId").asString(),
              text(event, "projectId"),
              text(event, "appId")));
    }
    return events;
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
      HttpResponse<String> response =
          send(
              "GET",
              "/api/v1/internal/apps?limit=" + APPS_PAGE + "&after=" + after,
              serviceToken.get(),
              null);
      expectOk(response, "list the apps");
      JsonNode page = JSON.readTree(response.body());
      for (JsonNode app : page.path("items")) {
        try {
          apps.add(
              new AppRef(
                  app.path("tenant").asString(),
                  app.path("project").asString(),
                  app.path("app").asString(),
                  app.path("tenantId").asString(),
                  app.path("projectId").asString(),
                  app.path("appId").asString(),
                  app.path("hostLabel").asString()));
        } catch (IllegalArgumentException unusable) {
          // an app from before today's naming rules: it has no host the router could answer
        }
      }
      String next = page.path("next").asString("");
      if (page.path("items").isEmpty() || next.equals(after) || !ID.matcher(next).matches()) {
        return apps;
      }
      after = next;
    }
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asString() : null;
  }

  /** Reserves compute under an idempotency key; over quota is tenant-service's 409 as is. */
  public void reserve(AppRef ref, String key, Compute compute) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("idempotencyKey", key);
    body.put("project", ref.project());
    body.put("app", ref.app());
    body.put("cpuMillicores", compute.cpuMillicores());
    body.put("memoryMib", compute.memoryMib());
    body.put("replicas", compute.replicas());
    HttpResponse<String> response =
        send(
            "POST",
            path("/api/v1/tenants/{t}/reservations", ref.tenant()),
            serviceToken.get(),
            body);
    if (response.statusCode() == 409) {
      throw forwarded(response);
    }
    expectOk(response, "reserve compute");
  }

  /**
   * The quota in force for the app's project (its own limits, else its tenant's), read with
   * runtime-bridge's service token: what the kubernetes driver renders as ResourceQuota and
   * LimitRange. Empty when tenant-service does not answer it.
   */
  public Optional<ProjectQuota> projectQuota(AppRef ref) {
    HttpResponse<String> response =
        send(
            "GET",
            path("/api/v1/tenants/{t}/projects/{p}/quota", ref.tenant(), ref.project()),
            serviceToken.get(),
            null);
    if (response.statusCode() != 200) {
      return Optional.empty();
    }
    JsonNode effective = JSON.readTree(response.body()).path("effective");
    return Optional.of(
        new ProjectQuota(
            number(effective, "cpuMillicores"),
            number(effective, "memoryMib"),
            number(effective, "replicas")));
  }

  private static Long number(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  /** Releases a reservation; releasing one already released is fine. */
  public void release(String tenant, String key) {
    HttpResponse<String> response =
        send(
            "DELETE",
            path("/api/v1/tenants/{t}/reservations/{key}", tenant, key),
            serviceToken.get(),
            null);
    if (response.statusCode() != 404) {
      expectOk(response, "release compute");
    }
  }

  private static Problem forwarded(HttpResponse<String> response) {
    JsonNode problem = JSON.readTree(response.body());
    String type = problem.path("type").asString("");
    Problem forwarded =
        new Problem(
            HttpStatusCode.valueOf(response.statusCode()),
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

  private static void expectOk(HttpResponse<String> response, String what) {
    int status = response.statusCode();
    if (status == 401) {
      throw new Problem(
          HttpStatusCode.valueOf(401), "unauthorized", "Unauthorized", "The token was refused");
    }
    if (status == 403) {
      throw Problem.forbidden("tenant-service refused to " + what);
    }
    if (status / 100 != 2) {
      throw Problem.unavailable("tenant-service could not " + what + " (" + status + ")");
    }
  }

  /**
   * A path from a URI template with every variable encoded as one path segment: a name holding
   * {@code /}, {@code ..} or {@code ?} can never reach another endpoint or object.
   */
  public static String path(String template, Object... variables) {
    return UriComponentsBuilder.fromPath(template).encode().buildAndExpand(variables).toUriString();
  }

  private HttpResponse<String> send(String method, String path, String token, Object body) {
    return await(sendAsync(method, path, token, body));
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(
      String method, String path, String token, Object body) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> response) {
    try {
      return response.get();
    } catch (ExecutionException e) {
      throw Problem.unavailable("tenant-service is unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.cancel(true);
      throw Problem.unavailable("interrupted while calling tenant-service");
    }
  }
}
