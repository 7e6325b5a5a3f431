package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.RuntimeBridgeApplication;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.TestCaddy;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The bridge as a process of its own, killed with SIGKILL in the middle of a deploy (its new
 * revision started, not yet healthy) and started again: it converges with the old revision serving,
 * the new one's containers and reservation gone, and no orphan container, network or route.
 */
class CrashRecoveryIT extends ApiFixture {

  private static final String PREFIX = "slwtest-rtx-";

  /** The bridge in its own JVM has a database of its own, so a table of its own too. */
  private static final String CRASH_TABLE = FIREWALL_TABLE + "x";

  @Test
  void aBridgeKilledMidDeployConvergesAfterARestart() throws Exception {
    String alice = aliceWithApp();
    String database = TestPostgres.newDatabase();
    int bridgePort = freePort();
    String host = siteHost();
    AppRef ref = site(alice);
    try (TestCaddy caddy = TestCaddy.start()) {
      Process bridge = startBridge(database, bridgePort, caddy);
      try {
        String one = TestImages.httpd("api-one", "one\n");
        JsonNode live =
            JSON.readTree(
                call(base(bridgePort), alice, "POST", app, deployment(one, 1, null), 201));
        assertThat(live.path("status").asString()).isEqualTo("live");

        // Revision 2 never answers its health check: the bridge waits on it when it dies.
        CompletableFuture<HttpResponse<String>> dying =
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(base(bridgePort) + app))
                    .header("Authorization", "Bearer " + alice)
                    .header("Content-Type", "application/json")
                    .header("Prefer", PREFER_WAIT)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"image\":\""
                                + TestImages.httpd("api-two", "two\n")
                                + "\",\"memoryMib\":32,\"healthPath\":\"/never\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(60)).until(() -> revisionContainers("2").size() == 1);
        bridge.destroyForcibly().waitFor();
        assertThat(dying).failsWithin(Duration.ofSeconds(10));
        assertThat(revisionContainers("2")).hasSize(1);
        assertThat(usedMillicores(alice)).isEqualTo(500);
      } finally {
        bridge.destroyForcibly().waitFor();
      }

      Process restarted = startBridge(database, bridgePort, caddy);
      try {
        // Converged: polled, since the restarted bridge acts on its own reconcile passes.
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(revisionContainers("2")).isEmpty();
                  assertThat(containers()).hasSize(1);
                  assertThat(usedMillicores(alice)).isEqualTo(250);
                  assertThat(HostRequest.get(caddy.httpPort(), host, "/").body())
                      .isEqualTo("one\n");
                });
        JsonNode status = JSON.readTree(call(base(bridgePort), alice, "GET", app, null, 200));
        assertThat(status.path("liveRevision").asInt()).isEqualTo(1);
        assertThat(status.path("revisions").get(0).path("status").asString()).isEqualTo("failed");
        assertThat(status.path("revisions").get(0).path("reason").asString())
            .contains("bridge stopped");
        // one route for the app, then the router's catch-all (the 404 page), last; apps of other
        // tests that tenant-service still has, never deployed here, have their 503 routes
        assertThat(routeIds(caddy)).last().isEqualTo("slipway-no-app-slipway");
        assertThat(routeIds(caddy))
            .filteredOn(id -> id.contains("." + tenant + ".") || id.startsWith("slipway-no-app"))
            .containsExactly(
                String.join(
                    ".",
                    "slipway",
                    ref.appId(),
                    ref.projectId(),
                    ref.tenantId(),
                    tenant,
                    "web",
                    "site",
                    "site--web--" + tenant),
                "slipway-no-app-slipway");
        assertThat(networks()).containsExactly(PREFIX + ref.projectId());
        assertThat(revisionContainers("1")).hasSize(1);
      } finally {
        restarted.destroyForcibly().waitFor();
      }
    } finally {
      PODMAN.attempt(
          List.of(
              "rm",
              "-f",
              "-t",
              "0",
              PREFIX + ref.appId() + "-v1-0",
              PREFIX + ref.appId() + "-v2-0"));
      PODMAN.attempt(List.of("network", "rm", "-f", PREFIX + ref.projectId()));
      new io.slipway.runtime.podman.Nft("nft")
          .apply(io.slipway.runtime.podman.FirewallRules.removal(CRASH_TABLE));
      forgetTenant();
    }
  }

  /** runtime-bridge in a JVM of its own, on the test's classpath; returns once it is healthy. */
  private Process startBridge(String database, int port, TestCaddy caddy) throws Exception {
    Path log = Files.createTempFile(PREFIX + "bridge", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp"));
    command.add(System.getProperty("java.class.path"));
    command.add(RuntimeBridgeApplication.class.getName());
    command.addAll(
        List.of(
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--spring.datasource.url=" + database,
            "--spring.datasource.username=postgres",
            "--spring.datasource.password=postgres",
            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestKeycloak.issuer(),
            "--slipway.runtime.tenant-api-url=" + tenantServiceUrl(),
            "--slipway.runtime.client-secret=" + TestKeycloak.serviceClientSecret("runtime-bridge"),
            "--slipway.runtime.secret-key=" + SECRET_KEY,
            // unsigned test images: a permissive admission floor
            "--slipway.runtime.admission.floor.require-signed=false",
            "--slipway.runtime.admission.floor.max-severity=CRITICAL",
            "--slipway.runtime.admission.build-image-prefix="
                + GovernanceFixture.BUILD_IMAGE_PREFIX,
            "--slipway.runtime.podman.name-prefix=" + PREFIX,
            "--slipway.runtime.podman.stop-timeout=0s",
            "--slipway.runtime.podman.firewall.table=" + CRASH_TABLE,
            "--slipway.runtime.caddy.admin-socket=" + caddy.adminSocket(),
            "--slipway.runtime.caddy.listen=" + caddy.listen(),
            "--slipway.runtime.health-timeout=120s",
            "--slipway.runtime.reconcile-interval=1s"));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the bridge exited: " + Files.readString(log));
              }
              try {
                return http.send(
                            HttpRequest.newBuilder(
                                    URI.create(base(port) + "/actuator/health/readiness"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
    return process;
  }

  private List<String> revisionContainers(String revision) {
    return PODMAN
        .run(
            List.of(
                "ps",
                "-a",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=slipway.io/tenant=" + tenant,
                "--filter",
                "label=slipway.io/revision=" + revision))
        .stdout()
        .lines()
        .toList();
  }

  private List<String> networks() {
    return PODMAN
        .run(
            List.of(
                "network",
                "ls",
                "--format",
                "{{.Name}}",
                "--filter",
                "label=slipway.io/tenant=" + tenant))
        .stdout()
        .lines()
        .toList();
  }

  private List<String> routeIds(TestCaddy caddy) throws Exception {
    String routes = caddy.adminGet("/config/apps/http/servers/slipway/routes");
    return JSON.readTree(routes).findValuesAsString("@id");
  }

  private long usedMillicores(String token) throws Exception {
    return JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200))
        .path("used")
        .path("cpuMillicores")
        .asLong();
  }

  private static String base(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
