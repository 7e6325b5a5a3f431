package io.slipway.portal.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the build-service and runtime-bridge endpoints that are being built alongside the
 * portal (env, secrets, domains, stop/start/restart, logs, events, build cancel and stages),
 * speaking their documented contract. Like the real services it authorizes every call by asking the
 * real tenant-service, with the caller's own token, whether the app exists for the caller, and
 * answers 404 when not. It records who called what, so tests can check the portal only ever used
 * the signed-in user's token. Its data is canned, its settings kept in memory per app.
 */
final class ServiceStub implements AutoCloseable {

  private static final Pattern APP =
      Pattern.compile("/api/v1/tenants/([^/]+)/projects/([^/]+)/apps/([^/]+)(/.*)?");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One call the stub received: method, path and the user whose token came with it. */
  record Call(String method, String path, String user) {}

  private final HttpServer server;
  private final String tenantService;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AppState> apps = new ConcurrentHashMap<>();

  /** What the stub remembers of one app. */
  private static final class AppState {
    final Map<String, String> env = new TreeMap<>();
    final Map<String, String> secrets = new TreeMap<>();
    final List<String> domains = new ArrayList<>();
    volatile boolean stopped;
    volatile String build2 = "running";
  }

  ServiceStub(String tenantService) {
    this.tenantService = tenantService;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      calls.add(new Call(method, path, user(authorization)));
      Matcher app = APP.matcher(path);
      if (authorization == null || !authorization.startsWith("Bearer ") || !app.matches()) {
        problem(exchange, 401, "unauthorized", "a bearer token is required");
        return;
      }
      String catalog =
          "/api/v1/tenants/" + app.group(1) + "/projects/" + app.group(2) + "/apps/" + app.group(3);
      int seen =
          http.send(
                  HttpRequest.newBuilder(URI.create(tenantService + catalog))
                      .header("Authorization", authorization)
                      .build(),
                  BodyHandlers.discarding())
              .statusCode();
      if (seen != 200) {
        problem(exchange, 404, "not-found", "app '" + app.group(3) + "' was not found");
        return;
      }
      AppState state = apps.computeIfAbsent(catalog, k -> new AppState());
      String rest = app.group(4) == null ? "" : app.group(4);
      answer(exchange, method, rest, state, app.group(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException browserLeft) {
      // a log stream whose reader went away
    }
  }

  private void answer(HttpExchange exchange, String method, String rest, AppState state, String app)
      throws IOException, InterruptedException {
    String route = method + " " + rest;
    switch (route) {
      case "GET /builds" ->
          json(
              exchange,
              200,
              Map.of("items", List.of(build(2, state), build(1, state)), "total", 2));
      case "GET /builds/1", "GET /builds/2" -> json(exchange, 200, build(number(rest), state));
      case "GET /builds/1/logs" -> buildLog(exchange, 1, state);
      case "GET /builds/2/logs" -> buildLog(exchange, 2, state);
      case "POST /builds/2/cancel" -> {
        if (!state.build2.equals("running")) {
          problem(exchange, 409, "conflict", "build 2 already finished: " + state.build2);
        } else {
          state.build2 = "cancelled";
          json(exchange, 200, build(2, state));
        }
      }
      case "POST /builds/1/cancel" ->
          problem(exchange, 409, "conflict", "build 1 already finished: succeeded");
      case "GET /deployments" -> json(exchange, 200, deployments(state, app));
      case "POST /stop", "POST /start", "POST /restart" -> {
        state.stopped = rest.equals("/stop");
        json(exchange, 200, deployments(state, app));
      }
      case "POST /scale", "POST /rollback", "POST /deployments" ->
          json(exchange, 201, Map.of("revision", 3, "status", "live"));
      case "GET /env" -> json(exchange, 200, env(state));
      case "PUT /env" -> {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        state.env.clear();
        body.path("env")
            .properties()
            .forEach(e -> state.env.put(e.getKey(), e.getValue().asString()));
        body.path("secrets")
            .properties()
            .forEach(
                e -> {
                  if (e.getValue().isNull()) {
                    state.secrets.remove(e.getKey());
                  } else {
                    state.secrets.put(e.getKey(), e.getValue().asString());
                  }
                });
        json(exchange, 200, env(state));
      }
      case "GET /domains" -> json(exchange, 200, Map.of("domains", state.domains));
      case "POST /domains" -> {
        String domain = JSON.readTree(exchange.getRequestBody()).path("domain").asString();
        if (domain.startsWith("taken.")) {
          problem(exchange, 409, "domain-taken", "domain " + domain + " is used by another app");
        } else {
          state.domains.add(domain);
          json(exchange, 201, Map.of("domain", domain));
        }
      }
      case "GET /logs" -> appLog(exchange);
      case "GET /events" ->
          json(
              exchange,
              200,
              Map.of(
                  "items",
                  List.of(
                      event("2026-11-25T10:00:03Z", "Normal", "Live", "revision 2 is live", 2),
                      event(
                          "2026-11-25T09:58:10Z",
                          "Warning",
                          "OOMKilled",
                          "instance 0 of revision 1 ran out of memory (128 MiB)",
                          1))));
      case "DELETE " -> json(exchange, 204, null);
      case "GET /webhook" ->
          json(exchange, 200, Map.of("url", "http://127.0.0.1/hooks/x", "secret", "s"));
      default -> {
        if (method.equals("DELETE") && rest.startsWith("/domains/")) {
          state.domains.remove(rest.substring("/domains/".length()));
          json(exchange, 204, null);
        } else {
          problem(exchange, 404, "not-found", "no such endpoint in the stub: " + route);
        }
      }
    }
  }

  private static int number(String rest) {
    return Integer.parseInt(rest.replaceAll("\\D", ""));
  }

  private static Map<String, Object> build(int number, AppState state) {
    Map<String, Object> build = new LinkedHashMap<>();
    build.put("id", "build-" + number);
    build.put("number", number);
    build.put("commitId", number == 1 ? "9f1c2e7a4b3d" : "5be07d12aa90");
    build.put("ref", "refs/heads/main");
    build.put("pushedBy", "alice");
    build.put("status", number == 1 ? "succeeded" : state.build2);
    build.put("reason", null);
    build.put("createdAt", "2026-11-25T10:00:00Z");
    build.put("receivedAt", number == 1 ? "2026-11-25T10:00:00Z" : "2026-11-25T10:05:00Z");
    build.put("image", number == 1 ? "localhost/slipway/app:9f1c2e7" : null);
    build.put(
        "stages",
        number == 1
            ? List.of(
                stage("receive", 60), stage("queue", 15), stage("build", 820), stage("image", 110))
            : List.of(stage("receive", 55), stage("queue", 20)));
    return build;
  }

  private static Map<String, Object> stage(String name, long millis) {
    return Map.of("name", name, "millis", millis);
  }

  private static Map<String, Object> deployments(AppState state, String app) {
    Map<String, Object> live = new LinkedHashMap<>();
    live.put("revision", 2);
    live.put("status", state.stopped ? "stopped" : "live");
    live.put("image", "localhost/slipway/app@sha256:4e1f0c");
    live.put("replicas", state.stopped ? 0 : 2);
    live.put("buildId", "build-1");
    live.put("reason", null);
    live.put("liveAt", "2026-11-25T10:00:01.650Z");
    live.put(
        "stages",
        List.of(
            stage("admission", 25), stage("start", 310), stage("health", 180), stage("route", 20)));
    Map<String, Object> old = new LinkedHashMap<>();
    old.put("revision", 1);
    old.put("status", "retired");
    old.put("image", "localhost/slipway/app@sha256:77ab03");
    old.put("replicas", 1);
    old.put("reason", null);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("url", "http://" + app + ".apps.localhost:8088");
    view.put("liveRevision", 2);
    view.put("revisions", List.of(live, old));
    return view;
  }

  private static Map<String, Object> env(AppState state) {
    return Map.of("env", state.env, "secrets", List.copyOf(state.secrets.keySet()));
  }

  private static Map<String, Object> event(
      String time, String type, String reason, String message, int revision) {
    return Map.of(
        "time", time, "type", type, "reason", reason, "message", message, "revision", revision);
  }

  private static void buildLog(HttpExchange exchange, int number, AppState state)
      throws IOException, InterruptedException {
    OutputStream out = sse(exchange);
    String[] lines = {
      "STEP 1/3: FROM localhost/slipway/static-base",
      "STEP 2/3: COPY index.html /srv/www/",
      "STEP 3/3: USER 65534",
      "COMMIT localhost/slipway/app:" + (number == 1 ? "9f1c2e7" : "5be07d1"),
      "image recorded by digest sha256:4e1f0c"
    };
    for (String line : lines) {
      send(out, "log", line);
      if (number == 2) {
        Thread.sleep(250);
      }
    }
    if (number == 2 && state.build2.equals("running")) {
      state.build2 = "succeeded";
    }
    send(out, "end", number == 1 ? "succeeded" : state.build2);
  }

  private static void appLog(HttpExchange exchange) throws IOException, InterruptedException {
    boolean follow = String.valueOf(exchange.getRequestURI().getQuery()).contains("follow=true");
    OutputStream out = sse(exchange);
    send(out, "log", "2026-11-25T10:00:02Z listening on :8080");
    send(out, "log", "2026-11-25T10:00:04Z GET / 200 1.2ms");
    for (int i = 0; follow && i < 600; i++) {
      Thread.sleep(1000);
      send(
          out,
          "log",
          "2026-11-25T10:00:" + String.format("%02d", 5 + i % 55) + "Z GET /health 200");
    }
    if (!follow) {
      send(out, "end", "tail");
    }
  }

  private static OutputStream sse(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void send(OutputStream out, String event, String data) throws IOException {
    out.write(("event:" + event + "\ndata:" + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void problem(HttpExchange exchange, int status, String type, String detail)
      throws IOException {
    byte[] bytes =
        JSON.writeValueAsBytes(
            Map.of(
                "type", "https://slipway.io/problems/" + type, "status", status, "detail", detail));
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The {@code preferred_username} of a bearer JWT, or what else came instead. */
  private static String user(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return "<none>";
    }
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length != 3) {
      return "<not a JWT>";
    }
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    return claims.path("preferred_username").asString("<unnamed>");
  }
}
