package io.slipway.runtime.router;

import io.slipway.runtime.model.AppRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local router: Caddy, configured at run time through its admin API (loopback only). Each app
 * has one route on the server {@code serverName}, identified by an {@code @id} that starts with
 * {@code slipway.<app id>} and holds the rest of the app's identity (see {@link #id}), matching the
 * app's host and reverse-proxying to its live instances. Replacing a route is one {@code PATCH}, so
 * Caddy switches upstreams at once and lets requests in flight finish.
 */
public final class CaddyRouter implements Router {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String ID_PREFIX = "slipway";

  private final URI admin;
  private final String serverName;
  private final String listen;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Routes on the server {@code serverName} of the Caddy at {@code admin}, listening on {@code
   * listen}.
   */
  public CaddyRouter(URI admin, String serverName, String listen) {
    this.admin = admin;
    this.serverName = serverName;
    this.listen = listen;
  }

  @Override
  public void prepare() {
    ensureServer();
  }

  /**
   * Makes sure the HTTP server exists and listens on {@code listen} (e.g. {@code 127.0.0.1:8088})
   * without automatic HTTPS. Idempotent. Leaves an existing server, its routes and the rest of
   * Caddy's config as they are.
   */
  public void ensureServer() {
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("listen", List.of(listen));
    server.put("automatic_https", Map.of("disable", true));
    server.put("routes", List.of());
    // Create the deepest missing level only: {apps: {http: {servers: {name: server}}}}.
    List<String> path = List.of("apps", "http", "servers", serverName);
    Object value = server;
    for (int depth = path.size(); depth > 0; depth--) {
      String parent = "/config/" + String.join("/", path.subList(0, depth - 1));
      if (depth == path.size() && present("/config/" + String.join("/", path))) {
        return;
      }
      if (depth == 1 || present(parent)) {
        expect(
            send("PUT", "/config/" + String.join("/", path.subList(0, depth)), value),
            "add the router's server");
        return;
      }
      value = Map.of(path.get(depth - 1), value);
    }
  }

  private boolean present(String path) {
    HttpResponse<String> response = send("GET", path, null);
    return response.statusCode() == 200 && !"null".equals(response.body().strip());
  }

  @Override
  public void route(AppRef ref, List<String> hosts, List<String> upstreams) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("@id", id(ref));
    route.put("match", List.of(Map.of("host", List.copyOf(hosts))));
    route.put(
        "handle",
        List.of(
            Map.of(
                "handler",
                "reverse_proxy",
                "upstreams",
                upstreams.stream().map(u -> Map.of("dial", u)).toList(),
                // An instance stopped a moment ago refuses the dial: try another one instead.
                "load_balancing",
                Map.of("try_duration", "2s"))));
    route.put("terminal", true);
    HttpResponse<String> replaced = send("PATCH", "/id/" + id(ref), route);
    if (replaced.statusCode() == 200) {
      return;
    }
    expect(send("POST", serversPath() + "/" + serverName + "/routes", route), "add a route");
  }

  @Override
  public void unroute(AppRef ref) {
    HttpResponse<String> response = send("DELETE", "/id/" + id(ref), null);
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      // Caddy answers an unknown id with 404 (or 400 in some versions): nothing to remove.
      if (!response.body().contains("unknown object ID")) {
        expect(response, "remove a route");
      }
    }
  }

  @Override
  public Set<AppRef> routed() {
    HttpResponse<String> response = send("GET", serversPath() + "/" + serverName + "/routes", null);
    expect(response, "list routes");
    Set<AppRef> apps = new HashSet<>();
    for (JsonNode route : JSON.readTree(response.body().isBlank() ? "[]" : response.body())) {
      String[] id = route.path("@id").asString("").split("\\.");
      if (id.length == 8 && id[0].equals(ID_PREFIX)) {
        apps.add(new AppRef(id[4], id[5], id[6], id[3], id[2], id[1], id[7]));
      }
    }
    return apps;
  }

  /**
   * {@code slipway.<app id>.<project id>.<tenant id>.<tenant>.<project>.<app>.<host label>}: unique
   * by the app's id, and whole, so that {@link #routed()} finds an orphan route's app again. Dots
   * never occur in ids, names or labels, so it parses back.
   */
  static String id(AppRef ref) {
    return String.join(
        ".",
        ID_PREFIX,
        ref.appId(),
        ref.projectId(),
        ref.tenantId(),
        ref.tenant(),
        ref.project(),
        ref.app(),
        ref.hostLabel());
  }

  private String serversPath() {
    return "/config/apps/http/servers";
  }

  private HttpResponse<String> send(String method, String path, Object body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest request =
        HttpRequest.newBuilder(admin.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(method, publisher)
            .build();
    try {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException stale) {
        // A kept-alive connection Caddy had closed in the meantime fails without an answer
        // ("received no bytes", a broken pipe): once more, on a fresh connection. Seen under 20
        // deploys at once.
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      }
    } catch (IOException e) {
      throw new RouterException("Caddy's admin API at " + admin + " is unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RouterException("interrupted while calling Caddy", e);
    }
  }

  private static void expect(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new RouterException(
          "Caddy refused to " + what + ": " + response.statusCode() + " " + response.body(), null);
    }
  }

  /** Caddy could not be reached or refused a change. */
  public static final class RouterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RouterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
