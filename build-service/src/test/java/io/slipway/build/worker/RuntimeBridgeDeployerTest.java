package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.ServiceToken;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Against a tiny local HTTP server standing in for runtime-bridge and Keycloak's token endpoint.
 */
class RuntimeBridgeDeployerTest {

  private static final Deployer.Deployment DEPLOYMENT =
      new Deployer.Deployment(
          "acme",
          "web",
          "site",
          "localhost/acme/web/site:abc",
          "sha256:1234",
          "b-1",
          7,
          "0123456789abcdef0123456789abcdef01234567",
          false);

  private static BuildProperties properties(String runtimeBridgeUrl, String issuer) {
    return new BuildProperties(
        Path.of("build-data"),
        "http://127.0.0.1:8082",
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8081",
        issuer,
        "build-service",
        "secret",
        "main",
        DataSize.ofMegabytes(100),
        0,
        Duration.ofMillis(500),
        Duration.ofMinutes(10),
        2048,
        1000,
        "none",
        "localhost",
        runtimeBridgeUrl,
        List.of("https"),
        Duration.ofSeconds(60),
        Duration.ofMinutes(10),
        true,
        Duration.ofDays(30),
        Duration.ofDays(14),
        Duration.ofHours(1),
        BuildProperties.Executor.PODMAN);
  }

  @Test
  void postsTheDigestWithTheServiceToken() throws Exception {
    List<String> seen = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    StubTokenEndpoint.addTo(server);
    server.createContext(
        "/api/v1/tenants/acme/projects/web/apps/site/deployments",
        exchange -> {
          seen.add(exchange.getRequestMethod());
          seen.add(exchange.getRequestHeaders().getFirst("Authorization"));
          seen.add(exchange.getRequestHeaders().getFirst("Prefer"));
          seen.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      BuildProperties properties = properties(base + "/", base + "/realms/slipway");
      Deployer.Outcome outcome =
          new RuntimeBridgeDeployer(properties, new ServiceToken(properties)).deploy(DEPLOYMENT);

      // an answer without a revision: accepted, the outcome unknown
      assertThat(outcome.status()).isEqualTo("requested");
      assertThat(outcome.line()).isEqualTo("deploy requested from runtime-bridge");
      assertThat(seen).hasSize(4);
      assertThat(seen.get(0)).isEqualTo("POST");
      assertThat(seen.get(1)).isEqualTo("Bearer svc-token");
      // runtime-bridge holds the answer until the rollout ended (within the read timeout)
      assertThat(seen.get(2)).isEqualTo("wait=840");
      assertThat(seen.get(3))
          .contains("\"image\":\"localhost/acme/web/site:abc\"")
          .contains("\"digest\":\"sha256:1234\"")
          .contains("\"buildId\":\"b-1\"")
          .contains("\"buildNumber\":7")
          .contains("\"commit\":\"0123456789abcdef0123456789abcdef01234567\"");
    } finally {
      server.stop(0);
    }
  }

  /** A runtime-bridge that answers every deploy request with {@code status} and {@code body}. */
  private static HttpServer answering(int status, String body) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    StubTokenEndpoint.addTo(server);
    server.createContext(
        "/api/v1/tenants/acme/projects/web/apps/site/deployments",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static Deployer deployer(HttpServer server) {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    BuildProperties properties = properties(base, base + "/realms/slipway");
    return new RuntimeBridgeDeployer(properties, new ServiceToken(properties));
  }

  @Test
  void aClientErrorIsAFinalRefusalThatSaysWhy() throws Exception {
    for (int status : new int[] {422, 409, 404, 400, 403}) {
      HttpServer server =
          answering(status, "{\"title\":\"Invalid request\",\"detail\":\"image refused: CVE-1\"}");
      try {
        assertThatThrownBy(() -> deployer(server).deploy(DEPLOYMENT))
            .as("answer %d", status)
            .isInstanceOf(Deployer.Refused.class)
            .hasMessage("runtime-bridge refused the deploy (" + status + "): image refused: CVE-1");
      } finally {
        server.stop(0);
      }
    }
  }

  @Test
  void serverErrorsAndAnswersThatAskToTryAgainAreNoRefusal() throws Exception {
    for (int status : new int[] {500, 502, 503, 401, 408, 429}) {
      HttpServer server = answering(status, "");
      try {
        assertThatThrownBy(() -> deployer(server).deploy(DEPLOYMENT))
            .as("answer %d", status)
            .isInstanceOf(RestClientResponseException.class)
            .isNotInstanceOf(Deployer.Refused.class);
      } finally {
        server.stop(0);
      }
    }
  }

  @Test
  void aRuntimeBridgeThatIsNotListeningIsNoRefusal() throws Exception {
    HttpServer server = answering(201, "");
    String tokenBase = "http://127.0.0.1:" + server.getAddress().getPort();
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    BuildProperties properties =
        properties("http://127.0.0.1:" + closed, tokenBase + "/realms/slipway");
    try {
      assertThatThrownBy(
              () ->
                  new RuntimeBridgeDeployer(properties, new ServiceToken(properties))
                      .deploy(DEPLOYMENT))
          .isInstanceOf(ResourceAccessException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void skipsWhenNoRuntimeBridgeIsConfigured() {
    BuildProperties properties = properties("", "http://127.0.0.1:1/realms/slipway");
    assertThat(
            new RuntimeBridgeDeployer(properties, new ServiceToken(properties))
                .deploy(DEPLOYMENT)
                .line())
        .isEqualTo("deploy skipped: no runtime-bridge is configured");
  }

  /** A runtime-bridge answering deploys with {@code revision} and the app's view with its URL. */
  private static HttpServer answeringRevision(String revision) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    StubTokenEndpoint.addTo(server);
    server.createContext(
        "/api/v1/tenants/acme/projects/web/apps/site/deployments",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          boolean post = exchange.getRequestMethod().equals("POST");
          byte[] bytes =
              (post ? revision : "{\"url\":\"http://site--web--acme.apps.example:8088\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(post ? 201 : 200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  @Test
  void aRevisionThatWentLiveIsReportedWithTheAppsUrl() throws Exception {
    HttpServer server = answeringRevision("{\"revision\":3,\"status\":\"live\"}");
    try {
      Deployer.Outcome outcome = deployer(server).deploy(DEPLOYMENT);

      assertThat(outcome)
          .isEqualTo(
              new Deployer.Outcome("live", 3, "http://site--web--acme.apps.example:8088", null));
      assertThat(outcome.line())
          .isEqualTo("revision 3 is live: http://site--web--acme.apps.example:8088");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRevisionThatNeverWentLiveIsAFailedDeployWithRuntimeBridgesReason() throws Exception {
    HttpServer server =
        answeringRevision(
            "{\"revision\":3,\"status\":\"failed\",\"reason\":\"revision 3 exited with code"
                + " 3; last log lines:\\nboom\"}");
    try {
      Deployer.Outcome outcome = deployer(server).deploy(DEPLOYMENT);

      assertThat(outcome.status()).isEqualTo("failed");
      assertThat(outcome.revision()).isEqualTo(3);
      assertThat(outcome.line())
          .isEqualTo("deploy failed: revision 3 exited with code 3; last log lines:\nboom");
    } finally {
      server.stop(0);
    }
  }
}
