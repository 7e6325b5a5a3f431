package io.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.testing.GitCli;
import io.slipway.testing.Router;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17: deleting a tenant removes everything of it from every service, through tenant-service's
 * deletion event, even when a service was down when it happened; and the name registered again
 * starts empty. Everything is looked for where it would be: podman, the router, the disk and each
 * service's database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeletionIT {

  private static final String PREFIX = "slwdel-";

  private Path work;
  private TestPlatform platform;

  @BeforeAll
  void startPlatform() throws Exception {
    work = Files.createTempDirectory("slipway-deletion");
    platform = TestPlatform.start(PREFIX, work);
  }

  @AfterAll
  void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
    TestPlatform.removeEverythingNamed(PREFIX);
  }

  @Test
  void aDeletedTenantLeavesNothingEvenWithBuildServiceDownAndItsNameStartsEmpty() {
    String user = "del-" + UUID.randomUUID().toString().substring(0, 8);
    String jwt = TestKeycloak.userToken(user, TestKeycloak.createUser(user));
    Deployer deployer = Deployer.newTenant(platform, jwt, new GitCli(work), work);
    String tenant = deployer.tenant();
    Api tenants = new Api(platform.tenant().url(), jwt);
    Api builds = new Api(platform.build().url(), jwt);
    Api runtime = new Api(platform.runtime().url(), jwt);
    String apps = "/tenants/" + tenant + "/projects/" + Deployer.PROJECT + "/apps";

    // an app with a build, an image, a running container and a route
    Deployer.App site = deployer.createApp("site");
    deployer.pushAndAwaitLive(site, deployer.repositoryOf(Path.of("..", "samples", "static-site")));
    assertThat(deployer.fetch(site).body()).contains("Hello from Slipway");
    // an external-git app with a webhook secret
    createExternalApp(tenants, apps);
    String secret = builds.get(apps + "/ext/webhook").expect(200).json().path("secret").asString();
    JsonNode before = tenants.get(apps + "/site").expect(200).json();
    Ids ids = Ids.of(before);
    assertThat(leftovers(tenant, ids))
        .contains(
            "container",
            "network",
            "image",
            "route",
            "repository",
            "runtime-bridge app",
            "build-service build",
            "build-service webhook secret",
            "tenant-service tenant");

    // build-service is down when the tenant is deleted
    platform.build().kill();
    tenants.delete("/tenants/" + tenant).expect(204);
    // runtime-bridge, running, removes what runs; build-service's part waits for it
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(leftovers(tenant, ids))
                    .containsExactlyInAnyOrder(
                        "image",
                        "repository",
                        "build-service build",
                        "build-service webhook secret"));
    platform.build().restart();
    // podman may fail a listing that races an image being removed: asked again on the next poll
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(IllegalStateException.class)
        .untilAsserted(() -> assertThat(leftovers(tenant, ids)).isEmpty());

    // the same names again: new ids, and nothing of the old tenant shows
    tenants.post("/tenants", Map.of("name", tenant)).expect(201);
    tenants.post("/tenants/" + tenant + "/projects", Map.of("name", Deployer.PROJECT)).expect(201);
    JsonNode again = tenants.post(apps, Map.of("name", "site")).expect(201).json();
    assertThat(again.path("hostLabel").asString()).isEqualTo(before.path("hostLabel").asString());
    assertThat(again.path("id").asString()).isNotEqualTo(ids.app());
    assertThat(again.path("tenantId").asString()).isNotEqualTo(ids.tenant());
    assertThat(builds.get(apps + "/site/builds").expect(200).json().path("items")).isEmpty();
    assertThat(runtime.get(apps + "/site/deployments").expect(200).json().path("revisions"))
        .isEmpty();
    // the router no longer serves the old site: the host answers 404 until the reconciler's next
    // pass sees the new app in tenant-service's catalog, then the 503 page of an app not deployed
    // yet (which of the two the first request meets is a matter of timing)
    Router.Answer gone = deployer.fetch(site);
    assertThat(gone.status()).isIn(404, 503);
    assertThat(gone.body()).doesNotContain("Hello from Slipway");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Router.Answer parked = deployer.fetch(site);
              assertThat(parked.status()).isEqualTo(503);
              assertThat(parked.body())
                  .contains("has not been deployed yet")
                  .doesNotContain("Hello from Slipway");
            });
    createExternalApp(tenants, apps);
    assertThat(builds.get(apps + "/ext/webhook").expect(200).json().path("secret").asString())
        .isNotEqualTo(secret);
  }

  /** App {@code ext}, built from an external repository: it has a webhook secret. */
  private static void createExternalApp(Api tenants, String apps) {
    tenants
        .post(
            apps,
            Map.of(
                "name", "ext",
                "source", "external-git",
                "sourceRef", "https://git.example.invalid/ext.git"))
        .expect(201);
  }

  /** The ids of a tenant's app, from tenant-service's answer. */
  private record Ids(String tenant, String project, String app) {
    static Ids of(JsonNode app) {
      return new Ids(
          app.path("tenantId").asString(),
          app.path("projectId").asString(),
          app.path("id").asString());
    }
  }

  /** What is left of the tenant, each kind of object once, each found by a query of its own. */
  private List<String> leftovers(String tenant, Ids ids) {
    List<String> left = new ArrayList<>();
    String label = "label=slipway.io/tenant-id=" + ids.tenant();
    if (!podman("ps", "-a", "-q", "--filter", label).isBlank()) {
      left.add("container");
    }
    if (!podman("network", "ls", "-q", "--filter", label).isBlank()) {
      left.add("network");
    }
    String images = "reference=localhost/" + PREFIX + "images/" + ids.tenant() + "/*/*";
    if (!podman("images", "-q", "--filter", images).isBlank()) {
      left.add("image");
    }
    if (caddyConfig().contains(ids.tenant())) {
      left.add("route");
    }
    if (Files.exists(work.resolve("repos").resolve(ids.tenant()))) {
      left.add("repository");
    }
    String runtimeDb = platform.database("runtime-bridge");
    if (count(runtimeDb, "select count(*) from app where tenant_id = ?", ids.tenant()) > 0) {
      left.add("runtime-bridge app");
    }
    for (String table : List.of("revision", "domain", "app_event")) {
      if (count(runtimeDb, "select count(*) from " + table + " where tenant = ?", tenant) > 0) {
        left.add("runtime-bridge " + table);
      }
    }
    String buildDb = platform.database("build-service");
    if (count(buildDb, "select count(*) from build where tenant_id = ?", ids.tenant()) > 0) {
      left.add("build-service build");
    }
    if (count(buildDb, "select count(*) from webhook_secret where tenant_id = ?", ids.tenant())
        > 0) {
      left.add("build-service webhook secret");
    }
    String tenantDb = platform.database("tenant-service");
    if (count(tenantDb, "select count(*) from tenant where public_id = ?", ids.tenant()) > 0) {
      left.add("tenant-service tenant");
    }
    if (count(tenantDb, "select count(*) from project where public_id = ?", ids.project()) > 0) {
      left.add("tenant-service project");
    }
    if (count(tenantDb, "select count(*) from app where public_id = ?", ids.app()) > 0) {
      left.add("tenant-service app");
    }
    return left;
  }

  private static long count(String database, String query, String parameter) {
    try (Connection connection = DriverManager.getConnection(database, "postgres", "postgres");
        PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(query + ": " + e.getMessage(), e);
    }
  }

  private String caddyConfig() {
    try {
      return platform.caddy().adminGet("/config/");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String podman(String... arguments) {
    return Leftovers.podman(arguments);
  }
}
