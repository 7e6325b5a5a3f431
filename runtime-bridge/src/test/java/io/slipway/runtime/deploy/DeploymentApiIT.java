package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.PodmanRunner;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.HostRequest;
import io.slipway.runtime.router.Router;
import io.slipway.runtime.router.TestCaddy;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.tenant.TenantServiceApplication;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deploy API end to end: the real tenant-service (in-process, real PostgreSQL), the real
 * Keycloak, podman containers and Caddy. Deploy, replay, redeploy, roll back, scale, quota refusal,
 * access, and the reconciler restoring and cleaning up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DeploymentApiIT {

  static final TestCaddy CADDY = startCaddy();
  static final ConfigurableApplicationContext TENANT_SERVICE = startTenantService();
  static final PodmanRunner PODMAN = new PodmanRunner(Duration.ofSeconds(60));
  static final JsonMapper JSON = JsonMapper.builder().build();

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
    registry.add("slipway.runtime.tenant-api-url", DeploymentApiIT::tenantServiceUrl);
    registry.add(
        "slipway.runtime.client-secret", () -> TestKeycloak.serviceClientSecret("runtime-bridge"));
    registry.add("slipway.runtime.podman.name-prefix", () -> TestImages.PREFIX);
    registry.add("slipway.runtime.podman.stop-timeout", () -> "0s");
    registry.add("slipway.runtime.caddy.admin-url", () -> CADDY.admin().toString());
    registry.add("slipway.runtime.caddy.listen", CADDY::listen);
    registry.add("slipway.runtime.health-timeout", () -> "10s");
    registry.add("slipway.runtime.reconcile-interval", () -> "1h");
  }

  @AfterAll
  static void stop() {
    TENANT_SERVICE.close();
    CADDY.close();
    TestImages.removeAll();
  }

  @Test
  void deploysRedeploysRollsBackScalesAndStaysWithinQuota() throws Exception {
    String alice = aliceWithApp();
    String host = "site-web-" + tenant + ".apps.localhost";
    String one = TestImages.httpd("api-one", "one\n");
    String two = TestImages.httpd("api-two", "two\n");
    try {
      // Deploy, and a replay of the same build answers the same revision.
      String deploy = deployment(one, 1, "build-1");
      JsonNode first = bridge(alice, "POST", appPath + "/deployments", deploy, 201);
      assertThat(first.path("revision").asInt()).isEqualTo(1);
      assertThat(first.path("status").asString()).isEqualTo("live");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
      assertThat(
              bridge(alice, "POST", appPath + "/deployments", deploy, 200).path("revision").asInt())
          .isEqualTo(1);

      // Redeploy, then roll back to revision 1 as revision 3.
      bridge(alice, "POST", appPath + "/deployments", deployment(two, 2, "build-2"), 201);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("two\n");
      JsonNode back = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":1}", 201);
      assertThat(back.path("revision").asInt()).isEqualTo(3);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
      assertThat(containers()).hasSize(1);

      // Scale within the project's 1000 millicores, then beyond it.
      assertThat(
              bridge(alice, "POST", appPath + "/scale", "{\"replicas\":4}", 200)
                  .path("replicas")
                  .asInt())
          .isEqualTo(4);
      assertThat(containers()).hasSize(4);
      JsonNode refused = bridge(alice, "POST", appPath + "/scale", "{\"replicas\":5}", 409);
      assertThat(refused.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(refused.path("detail").asString()).contains("cpuMillicores");
      assertThat(refused.path("limit").asLong()).isEqualTo(1000);
      assertThat(containers()).hasSize(4);
      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":1}", 200);

      // What tenant-service counts is what runs: old revisions' reservations were released.
      JsonNode usage =
          JSON.readTree(
              tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200));
      assertThat(usage.path("used").path("cpuMillicores").asLong()).isEqualTo(250);
      assertThat(usage.path("used").path("replicas").asLong()).isEqualTo(1);

      JsonNode status = bridge(alice, "GET", appPath + "/deployments", null, 200);
      assertThat(status.path("liveRevision").asInt()).isEqualTo(3);
      // the URL a user opens: the app's host and the router's port
      assertThat(status.path("url").asString())
          .startsWith("http://site-web-" + tenant + ".apps.")
          .endsWith(":" + CADDY.listen().substring(CADDY.listen().lastIndexOf(':') + 1));
      assertThat(status.path("revisions").size()).isEqualTo(3);
      assertThat(status.path("revisions").path(1).path("status").asString()).isEqualTo("retired");

      // The reconciler restores a container removed behind its back, and removes an orphan.
      PODMAN.run(List.of("rm", "-f", "-t", "0", containers().getFirst()));
      PODMAN.run(
          List.of(
              "run",
              "-d",
              "--name",
              TestImages.PREFIX + tenant + "-web-ghost-v1-0",
              "--label",
              "app.kubernetes.io/managed-by=slipway",
              "--label",
              "slipway.io/tenant=" + tenant,
              "--label",
              "slipway.io/project=web",
              "--label",
              "slipway.io/app=ghost",
              "--label",
              "slipway.io/revision=1",
              "--user",
              "65534",
              one));
      reconciler.reconcile();
      reconciler.reconcile();
      assertThat(containers()).hasSize(1);
      assertThat(ghosts()).isEmpty();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");

      // Someone else does not see the app at all; a failing image is rolled back with its reason.
      bridge(user("mallory"), "GET", appPath + "/deployments", null, 404);
      JsonNode failed =
          bridge(
              alice,
              "POST",
              appPath + "/deployments",
              deployment(TestImages.failing("cannot-start", 7), 1, null),
              201);
      assertThat(failed.path("status").asString()).isEqualTo("failed");
      assertThat(failed.path("reason").asString()).contains("exited with code 7", "cannot-start");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A bridge killed between starting a revision and making it live left a revision marked
   * deploying, its containers and its reservation. The next bridge's reconciler abandons it: the
   * containers go, the reservation is released, the live revision keeps serving.
   */
  @Test
  void convergesAfterTheBridgeDiedMidDeploy() throws Exception {
    String alice = aliceWithApp();
    String host = "site-web-" + tenant + ".apps.localhost";
    try {
      // Deployed as build-service does it: its own service token, the build id a JSON number.
      String image = TestImages.httpd("api-one", "one\n");
      String digest =
          PODMAN
              .run(List.of("image", "inspect", "--format", "{{.Digest}}", image))
              .stdout()
              .strip();
      String fromBuild =
          "{\"image\":\"" + image + "\",\"digest\":\"" + digest + "\",\"buildId\":42}";
      JsonNode deployed =
          bridge(TestKeycloak.serviceToken("build-service"), "POST", app, fromBuild, 201);
      assertThat(deployed.path("status").asString()).isEqualTo("live");
      assertThat(deployed.path("buildId").asString()).isEqualTo("42");
      AppRef ref = new AppRef(tenant, "web", "site");
      // What the dying bridge had done: recorded revision 2, reserved, started its containers.
      AppSpec two = Specs.web(ref, 2, TestImages.httpd("api-two", "two\n"), 2);
      int revision = store.nextRevision(ref);
      assertThat(revision).isEqualTo(2);
      tenants.reserve(ref, "rt:web:site:r2:g0", new TenantApi.Compute(500, 128, 2));
      store.insert(two, null, "rt:web:site:r2:g0");
      driver.apply(two);
      assertThat(containers()).hasSize(3);

      Reconciler restarted =
          new Reconciler(store, deployments, driver, router, rollout, tenants, renderSettings);
      restarted.reconcile();
      restarted.reconcile();

      assertThat(containers()).hasSize(1);
      assertThat(driver.observe(ref)).extracting(RevisionState::revision).containsExactly(1);
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("failed");
      assertThat(store.revision(ref, 2).orElseThrow().reason()).contains("bridge stopped");
      JsonNode usage =
          JSON.readTree(
              tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200));
      assertThat(usage.path("used").path("cpuMillicores").asLong()).isEqualTo(250);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
    } finally {
      forgetTenant();
    }
  }

  /**
   * Removes the test's apps from the bridge's database first (so that no later reconcile brings
   * them back), then their containers, route and network.
   */
  private void forgetTenant() {
    jdbc.sql("delete from revision where tenant = ?").param(tenant).update();
    jdbc.sql("delete from app where tenant = ?").param(tenant).update();
    driver.removeApp(new AppRef(tenant, "web", "site"));
    driver.removeApp(new AppRef(tenant, "web", "ghost"));
    router.unroute(new AppRef(tenant, "web", "site"));
    PODMAN.attempt(List.of("network", "rm", "-f", TestImages.PREFIX + tenant + "-web"));
  }

  /** A user, tenant, project {@code web} (1000 millicores) and app {@code site}: alice's token. */
  private String aliceWithApp() throws Exception {
    String alice = user("alice");
    tenantService(alice, "POST", "/api/v1/tenants", "{\"name\":\"" + tenant + "\"}", 201);
    tenantService(
        alice, "POST", "/api/v1/tenants/" + tenant + "/projects", "{\"name\":\"web\"}", 201);
    tenantService(
        alice,
        "POST",
        "/api/v1/tenants/" + tenant + "/projects/web/apps",
        "{\"name\":\"site\",\"source\":\"image\",\"sourceRef\":\"x\"}",
        201);
    tenantService(
        alice,
        "PUT",
        "/api/v1/tenants/" + tenant + "/projects/web/quota",
        "{\"cpuMillicores\":1000}",
        200);
    return alice;
  }

  private List<String> containers() {
    return PODMAN
        .run(
            List.of(
                "ps",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=slipway.io/tenant=" + tenant,
                "--filter",
                "label=slipway.io/app=site"))
        .stdout()
        .lines()
        .toList();
  }

  private List<String> ghosts() {
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

  private static String deployment(String image, int replicas, String buildId) {
    return "{\"image\":\""
        + image
        + "\",\"replicas\":"
        + replicas
        + ",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32"
        + (buildId == null ? "" : ",\"buildId\":\"" + buildId + "\"")
        + "}";
  }

  private String user(String name) {
    String username = name + "-" + suffix;
    return TestKeycloak.userToken(username, TestKeycloak.createUser(username));
  }

  private JsonNode bridge(String token, String method, String path, String body, int expected)
      throws Exception {
    return JSON.readTree(call("http://127.0.0.1:" + port, token, method, path, body, expected));
  }

  private String tenantService(String token, String method, String path, String body, int expected)
      throws Exception {
    return call(tenantServiceUrl(), token, method, path, body, expected);
  }

  private String call(
      String base, String token, String method, String path, String body, int expected)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isEqualTo(expected);
    return response.body().isEmpty() ? "{}" : response.body();
  }

  static String tenantServiceUrl() {
    return "http://127.0.0.1:" + TENANT_SERVICE.getEnvironment().getProperty("local.server.port");
  }

  private static TestCaddy startCaddy() {
    try {
      return TestCaddy.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** tenant-service as it runs, with its settings given here (its application.yaml is shadowed). */
  private static ConfigurableApplicationContext startTenantService() {
    return new SpringApplicationBuilder(TenantServiceApplication.class)
        .properties(
            "spring.config.name=tenant-service-in-test",
            "spring.application.name=tenant-service",
            "server.port=0",
            "spring.datasource.url=" + TestPostgres.newDatabase(),
            "spring.datasource.username=postgres",
            "spring.datasource.password=postgres",
            "spring.flyway.locations=classpath:db/migration",
            "spring.jpa.open-in-view=false",
            "spring.jpa.hibernate.ddl-auto=validate",
            "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestKeycloak.issuer(),
            "spring.security.oauth2.resourceserver.jwt.audiences=slipway",
            "spring.threads.virtual.enabled=true")
        .run();
  }
}
