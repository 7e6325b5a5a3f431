package io.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.bench.PushToLiveBenchmark.Stats;
import io.slipway.testing.GitCli;
import io.slipway.testing.HttpSession;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 19's scale curve: on the platform {@code ./slipway up} starts (ports, names and state of
 * its own), one tenant's project fills up with running static apps, and at 1, 10, 50 and 100 of
 * them the benchmark measures, each as p50 and p95 of several runs: a deploy until live (a new
 * revision of one app, through the API, answered once live), a router update (a route added through
 * Caddy's admin API until it serves, and removed: what every deploy, stop and scale of the platform
 * does to Caddy's configuration, which Caddy applies whole), the API's app listing and the portal's
 * project page (signed in as a browser is), and at the last step the router's overhead (p50 and p99
 * of one app's page through Caddy against the same request straight to its container). Prints a
 * table with the ratio of each p95 to the first step's (target: at most 1.5 at 100 apps; router
 * overhead at most 2 ms at p99) and writes {@code target/scale-curve.svg}. Asserts nothing about
 * time.
 *
 * <p>{@code -Dscale.steps=1,10,50,100 -Dscale.runs=10}: the defaults.
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleCurveBenchmark {

  private static final int[] STEPS =
      Arrays.stream(System.getProperty("scale.steps", "1,10,50,100").split(","))
          .mapToInt(Integer::parseInt)
          .toArray();
  private static final int RUNS = Integer.getInteger("scale.runs", 10);
  private static final int OVERHEAD_REQUESTS = 500;
  private static final String PREFIX = "slwscale-";
  private static final String TENANT = "scale";
  private static final String PROJECT_PATH = "/tenants/" + TENANT + "/projects/web";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ScriptedPlatform platform;
  private Path work;
  private Path state;
  private Api tenants;
  private Api runtime;
  private HttpSession browser;
  private final List<String> report = new ArrayList<>();

  /** One step's figures: p50 and p95 (ms) of each measure, by its name. */
  private record Step(int apps, Map<String, long[]> figures) {}

  @BeforeAll
  void up() throws IOException {
    work = Files.createTempDirectory("slipway-bench-scale");
    state = work.resolve("state");
    platform = new ScriptedPlatform(PREFIX, work);
    assertThat(platform.slipway(state, "up", "-d").exit()).isZero();
    tenants = new Api(platform.url("SLIPWAY_TENANT_PORT"), platform.aliceToken(state));
    runtime = new Api(platform.url("SLIPWAY_RUNTIME_PORT"), platform.aliceToken(state));
  }

  @AfterAll
  void down() {
    report.forEach(System.out::println);
    if (platform != null) {
      platform.remove(state);
    }
    TestPlatform.removeEverythingNamed(PREFIX);
    TestPlatform.deleteWork(work);
  }

  @Test
  void costStaysFlatAsTheHostFills() throws Exception {
    int most = Arrays.stream(STEPS).max().orElseThrow();
    tenants.post("/tenants", Map.of("name", TENANT)).expect(201);
    tenants.post("/tenants/" + TENANT + "/projects", Map.of("name", "web")).expect(201);
    raiseQuota(most + 2);

    // one build of the static sample; every other app runs its image, by digest
    App seed = createApp("seed");
    GitCli git = new GitCli(work);
    String token =
        tenants
            .post("/tokens", Map.of("name", "scale", "scopes", List.of("git")))
            .expect(201)
            .json()
            .path("token")
            .asString();
    Path repository =
        git.newRepository(
            work.resolve("seed"),
            Map.of(
                "index.html",
                Files.readString(Sample.STATIC_SITE.directory().resolve("index.html"))));
    String remote =
        platform.url("SLIPWAY_BUILD_PORT").replace("://", "://git:" + token + "@")
            + "/git/"
            + TENANT
            + "/web/seed.git";
    String pushed = git.ok(repository, "push", "-o", "follow", remote, "main");
    assertThat(pushed).as("the seed's push").contains("is live as revision");
    JsonNode live = liveRevision(seed);
    Map<String, Object> image =
        Map.of(
            "image", live.path("image").asString(),
            "digest", live.path("digest").asString(),
            "port", live.path("port").asInt(),
            "memoryMib", 64,
            "cpuMillicores", 20);

    browser = signedIn();
    List<App> apps = new ArrayList<>(List.of(seed));
    List<Step> steps = new ArrayList<>();
    for (int step : STEPS) {
      while (apps.size() < step) {
        App app = createApp("app-%03d".formatted(apps.size()));
        deployLive(app, image);
        apps.add(app);
      }
      steps.add(measure(step, apps.getFirst(), image));
      System.out.println("scale step " + step + ": " + row(steps.getLast(), steps.getFirst()));
    }
    long[] overhead = routerOverhead(apps.getFirst());
    report.add(table(steps));
    report.add(
        ("router overhead at %d routes, %d GETs of one app's page each: through Caddy p50 %.2f ms,"
                + " p99 %.2f ms; straight to its container p50 %.2f ms, p99 %.2f ms; p99 added"
                + " %.2f ms (target 2)")
            .formatted(
                apps.size(),
                OVERHEAD_REQUESTS,
                overhead[0] / 1e3,
                overhead[1] / 1e3,
                overhead[2] / 1e3,
                overhead[3] / 1e3,
                (overhead[1] - overhead[3]) / 1e3));
    Path svg = Path.of("target", "scale-curve.svg");
    Files.writeString(svg, ScalePlot.svg(steps.stream().map(Step::apps).toList(), p95s(steps)));
    report.add("plot: " + svg.toAbsolutePath());
  }

  /** An app of the project: its name, its path in the API, and the host it answers at. */
  private record App(String name, String path, String host, JsonNode view) {}

  private App createApp(String name) {
    JsonNode view = tenants.post(PROJECT_PATH + "/apps", Map.of("name", name)).expect(201).json();
    return new App(
        name,
        PROJECT_PATH + "/apps/" + name,
        view.path("hostLabel").asString() + ".apps.localhost",
        view);
  }

  /** Deploys, answered once the revision is live (201 with it), or fails saying why not. */
  private void deployLive(App app, Map<String, Object> request) {
    JsonNode revision =
        runtime.postAwaitingRollout(app.path() + "/deployments", request).expect(201).json();
    assertThat(revision.path("status").asString())
        .as("%s: %s", app.name(), revision)
        .isEqualTo("live");
  }

  private JsonNode liveRevision(App app) {
    JsonNode deployments = runtime.get(app.path() + "/deployments").expect(200).json();
    int live = deployments.path("liveRevision").asInt();
    for (JsonNode revision : deployments.path("revisions")) {
      if (revision.path("revision").asInt() == live) {
        return revision;
      }
    }
    throw new AssertionError("no live revision: " + deployments);
  }

  /**
   * The tenant's limits (all of them: the quota is replaced whole) and the project's raised for
   * {@code apps} apps of a build's defaults (128 MiB, 250 millicores), twice over.
   */
  @SuppressWarnings("unchecked")
  private void raiseQuota(int apps) {
    Api admin = new Api(platform.url("SLIPWAY_TENANT_PORT"), platform.adminToken(state));
    String quota = "/tenants/" + TENANT + "/quota";
    Map<String, Object> limits =
        new LinkedHashMap<>(
            JSON.convertValue(admin.get(quota).expect(200).json().path("limits"), Map.class));
    limits.values().removeIf(java.util.Objects::isNull);
    Map<String, Object> raised =
        Map.of(
            "apps", apps,
            "replicas", apps * 2,
            "memoryMib", apps * 2 * 128,
            "cpuMillicores", apps * 2 * 250);
    limits.putAll(raised);
    admin.put(quota, limits).expect(200);
    tenants.put(PROJECT_PATH + "/quota", raised).expect(200);
  }

  private Step measure(int apps, App measured, Map<String, Object> image) throws IOException {
    List<Long> deploy = new ArrayList<>();
    List<Long> route = new ArrayList<>();
    List<Long> listing = new ArrayList<>();
    List<Long> portal = new ArrayList<>();
    Caddy caddy = new Caddy(state.resolve("caddy/admin/admin.sock"));
    for (int run = 0; run < RUNS; run++) {
      Map<String, Object> next = new LinkedHashMap<>(image);
      next.put("env", Map.of("SCALE_RUN", apps + "-" + run));
      long start = System.nanoTime();
      deployLive(measured, next);
      deploy.add(millis(start));

      start = System.nanoTime();
      caddy.probeRoute("probe-%d-%d.scale.localhost".formatted(apps, run), platform);
      route.add(millis(start));

      start = System.nanoTime();
      assertThat(tenants.get(PROJECT_PATH + "/apps?size=200").expect(200).json().path("items"))
          .hasSize(apps);
      listing.add(millis(start));

      start = System.nanoTime();
      HttpResponse<String> page =
          browser.get(platform.url("SLIPWAY_PORTAL_PORT") + "/t/" + TENANT + "/p/web");
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      portal.add(millis(start));
    }
    Map<String, long[]> figures = new LinkedHashMap<>();
    figures.put("deploy until live", pair(deploy));
    figures.put("router update", pair(route));
    figures.put("API app listing", pair(listing));
    figures.put("portal project page", pair(portal));
    return new Step(apps, figures);
  }

  private static long[] pair(List<Long> values) {
    return new long[] {Stats.percentile(values, 50), Stats.percentile(values, 95)};
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * p50 and p99 (µs) of {@link #OVERHEAD_REQUESTS} GETs of the app's page through Caddy, then the
   * same straight to the container's address (the upstream Caddy's route dials), interleaved, each
   * on a new connection as a browser's first request is.
   */
  private long[] routerOverhead(App app) throws IOException {
    String upstream = new Caddy(state.resolve("caddy/admin/admin.sock")).upstreamOf(app);
    String[] address = upstream.split(":");
    int appsPort = Integer.parseInt(platform.url("SLIPWAY_APPS_PORT").replaceAll(".*:", ""));
    List<Long> routed = new ArrayList<>();
    List<Long> direct = new ArrayList<>();
    for (int i = 0; i < OVERHEAD_REQUESTS; i++) {
      routed.add(timedGet("127.0.0.1", appsPort, app.host()));
      direct.add(timedGet(address[0], Integer.parseInt(address[1]), app.host()));
    }
    return new long[] {
      Stats.percentile(routed, 50),
      Stats.percentile(routed, 99),
      Stats.percentile(direct, 50),
      Stats.percentile(direct, 99)
    };
  }

  /** One GET on a new connection until its whole answer is read, in µs; 200 or it fails. */
  private static long timedGet(String ip, int port, String host) throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket(ip, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).as("GET via %s:%d", ip, port).startsWith("HTTP/1.1 200");
    }
    return (System.nanoTime() - start) / 1_000;
  }

  /** The portal in a browser-like session, signed in as alice through Keycloak's login page. */
  private HttpSession signedIn() throws IOException {
    HttpSession session = new HttpSession();
    String portal = platform.url("SLIPWAY_PORTAL_PORT");
    HttpResponse<String> login =
        session.follow(session.get(portal + "/oauth2/authorization/keycloak"));
    HttpResponse<String> home =
        session.follow(
            TestKeycloak.signIn(
                session,
                login,
                "alice",
                Files.readString(state.resolve("secrets/demo-password")).strip()));
    assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
    return session;
  }

  private static Map<String, List<Long>> p95s(List<Step> steps) {
    Map<String, List<Long>> series = new LinkedHashMap<>();
    for (Step step : steps) {
      step.figures()
          .forEach(
              (name, figure) ->
                  series.computeIfAbsent(name, n -> new ArrayList<>()).add(figure[1]));
    }
    return series;
  }

  private static String row(Step step, Step first) {
    StringBuilder row = new StringBuilder("| " + step.apps() + " |");
    step.figures()
        .forEach(
            (name, figure) -> {
              long base = Math.max(1, first.figures().get(name)[1]);
              row.append(
                  " %d / %d (%.2fx) |".formatted(figure[0], figure[1], (double) figure[1] / base));
            });
    return row.toString();
  }

  private static String table(List<Step> steps) {
    StringBuilder table =
        new StringBuilder(
            "scale curve (ms, p50 / p95 of %d runs, and p95 against the first step's; target at most 1.50x at %d apps)%n"
                .formatted(RUNS, steps.getLast().apps()));
    table.append("| running apps |");
    steps
        .getFirst()
        .figures()
        .keySet()
        .forEach(name -> table.append(' ').append(name).append(" |"));
    table.append('\n').append("|---|").append("---|".repeat(steps.getFirst().figures().size()));
    for (Step step : steps) {
      table.append('\n').append(row(step, steps.getFirst()));
    }
    return table.toString();
  }

  /** Caddy's admin API on its unix socket, as runtime-bridge speaks to it. */
  private static final class Caddy {

    private final Path socket;

    Caddy(Path socket) {
      this.socket = socket;
    }

    /**
     * A route for {@code host} put first on the apps' server, the router polled until it serves it,
     * then the route removed: two whole-configuration changes, as a deploy makes.
     */
    void probeRoute(String host, ScriptedPlatform platform) {
      String server = appsServer();
      String id = "bench-" + host.replace('.', '-');
      String route =
          """
          {"@id":"%s","match":[{"host":["%s"]}],"handle":[{"handler":"static_response","body":"probe"}],"terminal":true}"""
              .formatted(id, host);
      expect(send("PUT", "/config/apps/http/servers/" + server + "/routes/0", route), host);
      await()
          .pollInterval(Duration.ofMillis(5))
          .atMost(Duration.ofSeconds(30))
          .until(() -> platform.router().get(host).body().equals("probe"));
      expect(send("DELETE", "/id/" + id, null), host);
    }

    /** The {@code dial} of the first upstream of the app's route. */
    String upstreamOf(App app) {
      JsonNode view = app.view();
      String id =
          String.join(
              ".",
              "slipway",
              view.path("id").asString(),
              view.path("projectId").asString(),
              view.path("tenantId").asString(),
              view.path("tenant").asString(),
              view.path("project").asString(),
              view.path("name").asString(),
              view.path("hostLabel").asString());
      String route = send("GET", "/id/" + id, null);
      String dial = JSON.readTree(body(route)).findPath("dial").asString();
      assertThat(dial).as("the route of %s: %s", app.name(), route).contains(":");
      return dial;
    }

    private String appsServer() {
      JsonNode servers = JSON.readTree(body(send("GET", "/config/apps/http/servers", null)));
      for (var names = servers.propertyNames().iterator(); names.hasNext(); ) {
        String name = names.next();
        if (servers.path(name).path("routes").size() > 0) {
          return name;
        }
      }
      throw new AssertionError("no server with routes: " + servers);
    }

    private static void expect(String answer, String what) {
      assertThat(answer.lines().findFirst().orElse("")).as(what).matches("HTTP/1\\.[01] 200 .*");
    }

    private static String body(String answer) {
      return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    /**
     * One HTTP/1.0 exchange on a new connection to the admin socket (so the answer is never
     * chunked, and ends where the stream does), without a Host (Caddy's admin API refuses one it
     * does not expect, as runtime-bridge's client sends none); the whole answer.
     */
    private String send(String method, String path, String body) {
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(socket));
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head =
            "%s %s HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                .formatted(method, path, content.length);
        channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        channel.write(ByteBuffer.wrap(content));
        InputStream in = Channels.newInputStream(channel);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
