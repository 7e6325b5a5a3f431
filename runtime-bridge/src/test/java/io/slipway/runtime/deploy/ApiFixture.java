package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.FirewallRules;
import io.slipway.runtime.podman.Nft;
import io.slipway.runtime.podman.PodmanRunner;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.Router;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.testing.ServiceProcess;
import io.slipway.testing.TestCaddy;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import io.slipway.testing.TestTenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the API tests share: the real tenant-service (its jar, run by {@link TestTenantService}),
 * the real Keycloak, podman and a Caddy of the test's own, one bridge context for every subclass,
 * and helpers that call both services over HTTP as a user would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestDns.Config.class)
abstract class ApiFixture {

  static final TestCaddy CADDY = startCaddy();
  static final PodmanRunner PODMAN = new PodmanRunner(Duration.ofSeconds(60));

  /**
   * The repositories of every image podman lists, one a line. Listed again when an image went while
   * podman listed (podman 4.3 reads each image it listed once more and fails the whole listing with
   * "image not known"): the other modules' tests remove their images at any time.
   */
  static String imageRepositories() {
    for (int attempt = 1; ; attempt++) {
      try {
        return PODMAN.run(List.of("images", "--format", "{{.Repository}}")).stdout();
      } catch (PodmanRunner.PodmanException e) {
        if (attempt == 5 || !e.getMessage().contains("image not known")) {
          throw e;
        }
      }
    }
  }

  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Sent with every call: a deploy or rollback is then answered once its rollout ended, as the
   * platform's own clients ask (without it the answer is 202 at once; see DeploymentApiIT).
   */
  static final String PREFER_WAIT = "wait=120";

  /** Where the router's 503 pages link an app's page. */
  static final String PORTAL_URL = "https://portal.platform.test";

  /** This JVM's own nftables table: removed when the JVM ends, never anyone else's. */
  static final String FIREWALL_TABLE =
      "slwtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  static final String SECRET_KEY =
      java.util.Base64.getEncoder()
          .encodeToString(new java.security.SecureRandom().generateSeed(32));

  @LocalServerPort int port;
  @Autowired Reconciler reconciler;
  @Autowired DeploymentStore store;
  @Autowired Deployments deployments;
  @Autowired RuntimeDriver driver;
  @Autowired Router router;
  @Autowired Rollout rollout;
  @Autowired TenantApi tenants;
  @Autowired RenderSettings renderSettings;
  @Autowired JdbcClient jdbc;
  @Autowired EventLog events;
  @Autowired ChallengeRoutes challenges;
  @Autowired AppRoutes routes;
  @Autowired OneOffRuns runs;
  @Autowired AppChanges changes;
  @Autowired AppLifecycle lifecycle;
  @Autowired ZeroStore zero;

  final HttpClient http = HttpClient.newHttpClient();
  final String suffix = UUID.randomUUID().toString().substring(0, 6);
  final String tenant = "rt-" + suffix;
  final String app = "/api/v1/tenants/" + tenant + "/projects/web/apps/site/deployments";
  final String appPath = "/api/v1/tenants/" + tenant + "/projects/web/apps/site";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestPostgres::newDatabase);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestKeycloak::issuer);
    registry.add("slipway.runtime.tenant-api-url", ApiFixture::tenantServiceUrl);
    registry.add(
        "slipway.runtime.client-secret", () -> TestKeycloak.serviceClientSecret("runtime-bridge"));
    registry.add("slipway.runtime.podman.name-prefix", () -> TestImages.PREFIX);
    registry.add("slipway.runtime.podman.stop-timeout", () -> "0s");
    registry.add("slipway.runtime.podman.firewall.table", () -> FIREWALL_TABLE);
    registry.add("slipway.runtime.caddy.admin-socket", () -> CADDY.adminSocket().toString());
    registry.add("slipway.runtime.caddy.listen", CADDY::listen);
    registry.add("slipway.runtime.health-timeout", () -> "10s");
    registry.add("slipway.runtime.release-timeout", () -> "8s");
    registry.add("slipway.runtime.run-timeout", () -> "8s");
    registry.add("slipway.runtime.reconcile-interval", () -> "1h");
    // the cron tests drive schedulers of their own with a clock of their own (CronSchedulerIT)
    registry.add("slipway.runtime.cron-interval", () -> "1h");
    // the tests apply tenant-service's deletion events themselves (CatalogEventsApiIT)
    registry.add("slipway.runtime.catalog-events-interval", () -> "1h");
    // the autoscaling tests drive the autoscaler with instants of their own (AutoscaleApiIT)
    registry.add("slipway.runtime.autoscaling.tick", () -> "1h");
    // the scale-to-zero tests drive its passes with instants of their own (ScaleToZeroApiIT): a
    // pass on the real clock in between (every 30 s by default, so only in a slow run) saw their
    // requests first, and the next pass of theirs found the app idle since then
    registry.add("slipway.runtime.scale-to-zero.check-interval", () -> "1h");
    registry.add("slipway.runtime.secret-key", () -> SECRET_KEY);
    registry.add("slipway.runtime.portal-url", () -> PORTAL_URL);
    // Custom domains: the HTTP proof asks the test's Caddy, the only router address allowed on
    // loopback; names resolve through TestDns. The platform's own hosts, as a deployment sets them.
    registry.add("slipway.runtime.domains.challenge-port", CADDY::httpPort);
    registry.add("slipway.runtime.domains.router-addresses", () -> "127.0.0.1");
    registry.add("slipway.runtime.domains.check-timeout", () -> "2s");
    registry.add(
        "slipway.runtime.domains.platform-hosts", () -> "portal.platform.test,id.platform.test");
    // Image admission: the tests' keyring, advisories and build-service stand-in; the floor is
    // permissive, set explicitly, because most tests deploy unsigned images (ImageAdmissionApiIT
    // stores stricter floors through the API).
    GovernanceFixture.properties(registry);
  }

  static {
    // Shared by every subclass (one Spring context for all): stopped when the test JVM ends.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  CADDY.close();
                  removeLeftovers();
                  TestImages.removeAll();
                  new Nft("nft").apply(FirewallRules.removal(FIREWALL_TABLE));
                }));
  }

  /**
   * This JVM's project networks (named with its prefix) that a test left, whatever still runs on
   * them and their containers' secrets: a test that does not forget its tenant would leave them on
   * the host.
   */
  private static void removeLeftovers() {
    PODMAN
        .attempt(
            List.of(
                "network", "ls", "--format", "{{.Name}}", "--filter", "name=^" + TestImages.PREFIX))
        .stdout()
        .lines()
        .filter(name -> name.startsWith(TestImages.PREFIX))
        .forEach(name -> PODMAN.attempt(List.of("network", "rm", "-f", name)));
    // and the podman secrets of the containers that went with them
    PODMAN
        .attempt(List.of("secret", "ls", "--format", "{{.Name}}"))
        .stdout()
        .lines()
        .filter(name -> name.startsWith(TestImages.PREFIX))
        .forEach(name -> PODMAN.attempt(List.of("secret", "rm", name)));
  }

  /**
   * Removes the test's apps from the bridge's database first (so that no later reconcile brings
   * them back), then their containers, route and network.
   */
  void forgetTenant() {
    List<String> projects =
        jdbc.sql("select distinct project_id from app where tenant = ? and project_id is not null")
            .param(tenant)
            .query(String.class)
            .list();
    for (String table : List.of("app_event", "domain", "revision", "app")) {
      jdbc.sql("delete from " + table + " where tenant = ?").param(tenant).update();
    }
    driver.apps().stream().filter(a -> a.tenant().equals(tenant)).forEach(driver::removeApp);
    router.routed().stream().filter(a -> a.tenant().equals(tenant)).forEach(router::unroute);
    projects.forEach(
        project -> PODMAN.attempt(List.of("network", "rm", "-f", TestImages.PREFIX + project)));
  }

  /** App {@code site} of project {@code web} as tenant-service describes it, ids and all. */
  AppRef site(String token) {
    return tenants.requireAccess(tenant, "web", "site", token, false);
  }

  /** The host tenant-service reserved for app {@code site}, under the test router's domain. */
  String siteHost() {
    return "site--web--" + tenant + ".apps.localhost";
  }

  /** A user, tenant, project {@code web} (1000 millicores) and app {@code site}: alice's token. */
  String aliceWithApp() throws Exception {
    String alice = user("alice");
    tenantWithSite(alice, tenant);
    tenantService(
        alice,
        "PUT",
        "/api/v1/tenants/" + tenant + "/projects/web/quota",
        "{\"cpuMillicores\":1000}",
        200);
    return alice;
  }

  /**
   * Tenant {@code name}, created by the user of {@code token}, with project {@code web} and app
   * {@code site}.
   */
  void tenantWithSite(String token, String name) throws Exception {
    tenantService(token, "POST", "/api/v1/tenants", "{\"name\":\"" + name + "\"}", 201);
    projectWithSite(token, name, "web");
  }

  /** Project {@code project} of tenant {@code name}, with app {@code site}. */
  void projectWithSite(String token, String name, String project) throws Exception {
    tenantService(
        token,
        "POST",
        "/api/v1/tenants/" + name + "/projects",
        "{\"name\":\"" + project + "\"}",
        201);
    tenantService(
        token,
        "POST",
        "/api/v1/tenants/" + name + "/projects/" + project + "/apps",
        "{\"name\":\"site\",\"source\":\"image\",\"sourceRef\":\"x\"}",
        201);
  }

  /** The name of this test's image {@code what}, apart from the platform's build prefix. */
  String governedImage(String what) {
    return GovernanceFixture.IMAGE_PREFIX + "-" + suffix + "-" + what + ":1";
  }

  List<String> containers() {
    return containers(false);
  }

  /** The app's containers: running ones, or with {@code all} every one (exited too). */
  List<String> containers(boolean all) {
    List<String> ps =
        new java.util.ArrayList<>(
            List.of(
                "ps",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=slipway.io/tenant=" + tenant,
                "--filter",
                "label=slipway.io/app=site"));
    if (all) {
      ps.add("--all");
    }
    return PODMAN.run(ps).stdout().lines().toList();
  }

  List<String> ghosts() {
    return PODMAN
        .run(
            List.of(
                "ps",
                "-a",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=slipway.io/app=ghost",
                "--filter",
                "label=slipway.io/tenant=" + tenant))
        .stdout()
        .lines()
        .toList();
  }

  /** A reconciler as a bridge started anew has: what it does next, it does from the database. */
  Reconciler restartedReconciler() {
    return new Reconciler(
        store,
        deployments,
        driver,
        router,
        rollout,
        tenants,
        events,
        challenges,
        routes,
        runs,
        changes,
        lifecycle,
        zero);
  }

  /**
   * Deploys {@code image} as app {@code site}'s one web instance with room for a language runtime
   * (500 millicores, 256 MiB), answered once live.
   */
  void deployWithRoom(String token, String image) throws Exception {
    bridge(
        token,
        "POST",
        app,
        "{\"image\":\""
            + image
            + "\",\"replicas\":1,\"port\":8080,\"cpuMillicores\":500,\"memoryMib\":256}",
        201);
  }

  /** A running container's address on its project network. */
  static String address(String container) {
    return PODMAN
        .run(
            List.of(
                "inspect",
                container,
                "--format",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"))
        .stdout()
        .strip();
  }

  static String deployment(String image, int replicas, String buildId) {
    return "{\"image\":\""
        + image
        + "\",\"replicas\":"
        + replicas
        + ",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32"
        + (buildId == null ? "" : ",\"buildId\":\"" + buildId + "\"")
        + "}";
  }

  String user(String name) {
    String username = name + "-" + suffix;
    return TestKeycloak.userToken(username, TestKeycloak.createUser(username));
  }

  /** Victor, made a viewer of the tenant by {@code admin}: his token. */
  String viewer(String admin) throws Exception {
    String viewer = user("victor");
    tenantService(
        admin,
        "PUT",
        "/api/v1/tenants/" + tenant + "/members/victor-" + suffix,
        "{\"role\":\"viewer\"}",
        200);
    return viewer;
  }

  JsonNode bridge(String token, String method, String path, String body, int expected)
      throws Exception {
    return JSON.readTree(call("http://127.0.0.1:" + port, token, method, path, body, expected));
  }

  /** {@code action} on the app, sent to {@code base} without asking to wait. */
  HttpResponse<String> unwaited(String base, String token, String action, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + appPath + action))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String tenantService(String token, String method, String path, String body, int expected)
      throws Exception {
    return call(tenantServiceUrl(), token, method, path, body, expected);
  }

  /**
   * The reasons of app {@code site}'s events, newest first, as its user of {@code token} reads
   * them.
   */
  List<String> appEventReasons(String token) throws Exception {
    return bridge(token, "GET", appPath + "/events", null, 200)
        .path("items")
        .findValuesAsString("reason");
  }

  /** App {@code site}'s events of one reason, newest first. */
  List<JsonNode> appEvents(String token, String reason) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode event : bridge(token, "GET", appPath + "/events", null, 200).path("items")) {
      if (reason.equals(event.path("reason").asString())) {
        found.add(event);
      }
    }
    return found;
  }

  String call(String base, String token, String method, String path, String body, int expected)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Prefer", PREFER_WAIT)
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(
            () ->
                method
                    + " "
                    + path
                    + ": "
                    + response.body()
                    + (response.statusCode() >= 500 ? ServiceProcess.recentLog(base) : ""))
        .isEqualTo(expected);
    return response.body().isEmpty() ? "{}" : response.body();
  }

  static String tenantServiceUrl() {
    return TestTenantService.url();
  }

  private static TestCaddy startCaddy() {
    try {
      return TestCaddy.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
