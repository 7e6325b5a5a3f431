package io.slipway.runtime.router;

import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.unixhttp.UnixHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local router: Caddy, configured at run time through its admin API on a unix socket. Each app
 * has one route on the server {@code serverName}, identified by an {@code @id} that starts with
 * {@code slipway.<app id>} and holds the rest of the app's identity (see {@link #id}), matching the
 * app's host and reverse-proxying to its live instances. Replacing a route is one {@code PATCH}, so
 * Caddy switches upstreams at once and lets requests in flight finish. A new app route goes first
 * in the server's list, so that the server's last route stays its catch-all, which answers every
 * other host with {@link RouterPages}' 404; the server's error routes answer an app none of whose
 * instances takes the connection with the 503 page. An app with nothing to serve has a route of the
 * same {@code @id} answering the 503 page that says why ({@link #park}); an app scaled to zero, one
 * proxying to the activator with the activator's header set by Caddy ({@link #hold}).
 */
public final class CaddyRouter implements Router {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String ID_PREFIX = "slipway";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Path adminSocket;
  private final String serverName;
  private final String listen;
  private final AppLinks links;

  /**
   * Routes on the server {@code serverName} of the Caddy whose admin API listens on the unix socket
   * {@code adminSocket}, listening on {@code listen}; a parked app's page links nowhere.
   */
  public CaddyRouter(Path adminSocket, String serverName, String listen) {
    this(adminSocket, serverName, listen, AppLinks.NONE);
  }

  /** The same, a parked app's page linking the app's page in the portal as {@code links} says. */
  public CaddyRouter(Path adminSocket, String serverName, String listen, AppLinks links) {
    this.adminSocket = adminSocket;
    this.serverName = serverName;
    this.listen = listen;
    this.links = links;
  }

  @Override
  public void prepare() {
    ensureServer();
  }

  /**
   * Makes sure the HTTP server exists and listens on {@code listen} (e.g. {@code 127.0.0.1:8088})
   * without automatic HTTPS, with the catch-all as its last route and the router's error pages.
   * Idempotent, and changes nothing when all is in place. Leaves an existing server's app routes
   * and the rest of Caddy's config as they are.
   */
  public void ensureServer() {
    UnixHttp.Answer existing = send("GET", serverPath(), null);
    if (existing.status() == 200 && !"null".equals(existing.text().strip())) {
      ensurePages(JSON.readTree(existing.text()));
      return;
    }
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("listen", List.of(listen));
    server.put("automatic_https", Map.of("disable", true));
    server.put("routes", List.of(RouterPages.catchAll(catchAllId())));
    server.put("errors", RouterPages.errors());
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

  /**
   * Puts the catch-all back at the end of an existing server's routes, and its error pages in
   * place, where either is missing or not the current one (a server made by an older bridge).
   */
  private void ensurePages(JsonNode server) {
    JsonNode routes = server.path("routes");
    JsonNode catchAll = JSON.valueToTree(RouterPages.catchAll(catchAllId()));
    if (!routes.isArray()) {
      expect(send("PUT", routesPath(), List.of(catchAll)), "add the router's catch-all");
    } else if (routes.isEmpty() || !catchAll.equals(routes.get(routes.size() - 1))) {
      remove(catchAllId(), "remove an outdated catch-all");
      expect(send("POST", routesPath(), catchAll), "add the router's catch-all");
    }
    JsonNode errors = JSON.valueToTree(RouterPages.errors());
    if (!errors.equals(server.path("errors"))) {
      expect(send("POST", serverPath() + "/errors", errors), "set the router's error pages");
    }
  }

  private boolean present(String path) {
    UnixHttp.Answer response = send("GET", path, null);
    return response.status() == 200 && !"null".equals(response.text().strip());
  }

  @Override
  public void route(AppRef ref, List<String> hosts, List<String> upstreams) {
    // An instance stopped a moment ago refuses the dial: try another one instead.
    put(
        ref,
        hostRoute(ref, hosts, proxy(upstreams, "load_balancing", Map.of("try_duration", "2s"))));
  }

  /** A {@code reverse_proxy} handler to these {@code ip:port} upstreams, with one more setting. */
  private static Map<String, Object> proxy(List<String> upstreams, String key, Object value) {
    Map<String, Object> handler = new LinkedHashMap<>();
    handler.put("handler", "reverse_proxy");
    handler.put("upstreams", upstreams.stream().map(u -> Map.of("dial", u)).toList());
    handler.put(key, value);
    return handler;
  }

  /** The app's route: its hosts to this one handler, and no route after it. */
  private static Map<String, Object> hostRoute(
      AppRef ref, List<String> hosts, Map<String, Object> handler) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("@id", id(ref));
    route.put("match", List.of(Map.of("host", List.copyOf(hosts))));
    route.put("handle", List.of(handler));
    route.put("terminal", true);
    return route;
  }

  /**
   * A route for the app's hosts that proxies to the activator, with the activator's header set by
   * Caddy (a client's header of that name is replaced, never passed on).
   */
  @Override
  public void hold(AppRef ref, List<String> hosts, Activation activation) {
    Map<String, Object> set = Map.of(activation.header(), List.of(activation.token()));
    put(
        ref,
        hostRoute(
            ref,
            hosts,
            proxy(
                List.of(activation.address()), "headers", Map.of("request", Map.of("set", set)))));
  }

  /**
   * A route for the app's hosts that answers the 503 page saying why at once, without trying an
   * instance; on the app's own host the page links the app's page in the portal ({@link AppLinks}),
   * on its custom domains it does not.
   */
  @Override
  public void park(AppRef ref, List<String> hosts, Parked why) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("@id", id(ref));
    route.put("match", List.of(Map.of("host", List.copyOf(hosts))));
    Optional<String> appPage = links.appPage(ref);
    String own = links.ownHost(ref);
    if (appPage.isEmpty() || !hosts.contains(own)) {
      route.put("handle", List.of(RouterPages.parked(why, Optional.empty())));
    } else if (hosts.size() == 1) {
      route.put("handle", List.of(RouterPages.parked(why, appPage)));
    } else {
      Map<String, Object> onOwnHost = new LinkedHashMap<>();
      onOwnHost.put("match", List.of(Map.of("host", List.of(own))));
      onOwnHost.put("handle", List.of(RouterPages.parked(why, appPage)));
      onOwnHost.put("terminal", true);
      Map<String, Object> elsewhere =
          Map.of("handle", List.of(RouterPages.parked(why, Optional.empty())));
      route.put(
          "handle",
          List.of(Map.of("handler", "subroute", "routes", List.of(onOwnHost, elsewhere))));
    }
    route.put("terminal", true);
    put(ref, route);
  }

  /** Replaces the app's route, or adds it first in the list. */
  private void put(AppRef ref, Map<String, Object> route) {
    UnixHttp.Answer replaced = send("PATCH", "/id/" + id(ref), route);
    if (replaced.status() == 200) {
      return;
    }
    // First in the list, before the catch-all (PUT at an index inserts there).
    UnixHttp.Answer inserted = send("PUT", routesPath() + "/0", route);
    if (inserted.status() / 100 != 2 && inserted.text().contains("out of bounds")) {
      // No route at all, not even the catch-all (the server was not prepared): the first one.
      inserted = send("POST", routesPath(), route);
    }
    expect(inserted, "add a route");
  }

  /**
   * One route, first in the server's list, holding a subroute per challenge (host and exact path)
   * that answers the token as text; requests matching none go on to the app routes. Read back first
   * and written only when it differs, so calling this on every reconcile pass costs Caddy no
   * reload.
   */
  @Override
  public void serveChallenges(List<Challenge> challenges) {
    String id = challengesId();
    UnixHttp.Answer current = send("GET", "/id/" + id, null);
    boolean present = current.status() == 200 && !"null".equals(current.text().strip());
    if (challenges.isEmpty()) {
      if (present) {
        remove(id, "remove the domain challenges");
      }
      return;
    }
    Map<String, Object> route = challengeRoute(id, challenges);
    if (present && served(JSON.readTree(current.text())).equals(Set.copyOf(challenges))) {
      return;
    }
    if (present) {
      expect(send("PATCH", "/id/" + id, route), "replace the domain challenges");
      return;
    }
    UnixHttp.Answer inserted = send("PUT", routesPath() + "/0", route);
    if (inserted.status() / 100 != 2 && inserted.text().contains("out of bounds")) {
      inserted = send("POST", routesPath(), route);
    }
    expect(inserted, "add the domain challenges");
  }

  static Map<String, Object> challengeRoute(String id, List<Challenge> challenges) {
    List<Object> answers =
        challenges.stream()
            .map(
                c ->
                    (Object)
                        Map.of(
                            "match",
                            List.of(Map.of("host", List.of(c.domain()), "path", List.of(c.path()))),
                            "handle",
                            List.of(
                                Map.of(
                                    "handler",
                                    "static_response",
                                    "status_code",
                                    200,
                                    "headers",
                                    Map.of(
                                        "Content-Type",
                                        List.of("text/plain; charset=utf-8"),
                                        "Cache-Control",
                                        List.of("no-store")),
                                    "body",
                                    c.token())),
                            "terminal",
                            true))
            .toList();
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("@id", id);
    route.put("match", List.of(Map.of("path", List.of(Challenge.PATH_PREFIX + "*"))));
    route.put("handle", List.of(Map.of("handler", "subroute", "routes", answers)));
    return route;
  }

  /** The challenges a challenges route read back from Caddy answers. */
  static Set<Challenge> served(JsonNode route) {
    Set<Challenge> served = new HashSet<>();
    for (JsonNode answer : route.path("handle").path(0).path("routes")) {
      JsonNode match = answer.path("match").path(0);
      String path = match.path("path").path(0).asString("");
      String token = answer.path("handle").path(0).path("body").asString("");
      if (path.equals(Challenge.PATH_PREFIX + token)) {
        served.add(new Challenge(match.path("host").path(0).asString(""), token));
      }
    }
    return served;
  }

  /** The challenges route's {@code @id}; it does not parse as an app's (see {@link #routed()}). */
  private String challengesId() {
    return ID_PREFIX + "-domain-challenges-" + serverName;
  }

  @Override
  public void unroute(AppRef ref) {
    remove(id(ref), "remove a route");
  }

  /** Removes the object with this {@code @id}; nothing to do when there is none. */
  private void remove(String id, String what) {
    UnixHttp.Answer response = send("DELETE", "/id/" + id, null);
    if (response.status() != 200 && response.status() != 404) {
      // Caddy answers an unknown id with 404 (or 400 in some versions): nothing to remove.
      if (!response.text().contains("unknown object ID")) {
        expect(response, what);
      }
    }
  }

  /**
   * Caddy's own count of the requests each upstream has not answered yet ({@code num_requests} of
   * {@code GET /reverse_proxy/upstreams}: every upstream any route dials, by its dial address).
   */
  @Override
  public Map<String, Integer> requestsInFlight() {
    UnixHttp.Answer response = send("GET", "/reverse_proxy/upstreams", null);
    expect(response, "count the requests in flight");
    Map<String, Integer> inFlight = new HashMap<>();
    for (JsonNode upstream : JSON.readTree(response.text().isBlank() ? "[]" : response.text())) {
      int requests = upstream.path("num_requests").asInt(0);
      if (requests > 0) {
        inFlight.merge(upstream.path("address").asString(""), requests, Integer::sum);
      }
    }
    return inFlight;
  }

  @Override
  public boolean countsRequests() {
    return true;
  }

  @Override
  public Set<AppRef> routed() {
    UnixHttp.Answer response = send("GET", routesPath(), null);
    expect(response, "list routes");
    Set<AppRef> apps = new HashSet<>();
    for (JsonNode route : JSON.readTree(response.text().isBlank() ? "[]" : response.text())) {
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

  /**
   * The catch-all's {@code @id}, unique in Caddy's config per server; it does not parse as an app's
   * (see {@link #routed()}).
   */
  private String catchAllId() {
    return ID_PREFIX + "-no-app-" + serverName;
  }

  private String serverPath() {
    return "/config/apps/http/servers/" + serverName;
  }

  private String routesPath() {
    return serverPath() + "/routes";
  }

  /**
   * One call to the admin API over its unix socket, without a {@code Host} header (Caddy refuses
   * any host on a socket). Only runtime-bridge's user can enter the socket's directory (0700), so
   * no app, build or other local user can reconfigure the router: refused here when it is open.
   */
  private UnixHttp.Answer send(String method, String path, Object body) {
    requirePrivate(adminSocket);
    byte[] json = body == null ? null : JSON.writeValueAsBytes(body);
    try {
      try {
        return UnixHttp.exchange(adminSocket, method, path, null, json, TIMEOUT);
      } catch (IOException dropped) {
        // A connection Caddy dropped without an answer (a reload in progress): once more.
        return UnixHttp.exchange(adminSocket, method, path, null, json, TIMEOUT);
      }
    } catch (IOException e) {
      throw new RouterException("Caddy's admin API at " + adminSocket + " is unreachable", e);
    }
  }

  /** Refuses an admin socket whose directory other users may enter. */
  static void requirePrivate(Path socket) {
    Path dir = socket.toAbsolutePath().getParent();
    try {
      Set<PosixFilePermission> open = Files.getPosixFilePermissions(dir);
      open.retainAll(
          EnumSet.of(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE,
              PosixFilePermission.OTHERS_EXECUTE));
      if (!open.isEmpty()) {
        throw new RouterException(
            "Caddy's admin socket directory "
                + dir
                + " is open to other users ("
                + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))
                + "): make it 0700",
            null);
      }
    } catch (IOException e) {
      throw new RouterException("Caddy's admin socket directory " + dir + " cannot be read", e);
    }
  }

  private static void expect(UnixHttp.Answer response, String what) {
    if (response.status() / 100 != 2) {
      throw new RouterException(
          "Caddy refused to " + what + ": " + response.status() + " " + response.text(), null);
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
