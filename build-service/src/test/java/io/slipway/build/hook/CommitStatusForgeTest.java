package io.slipway.build.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Commit status's requests to the three forges, the checks of a forge's API URL (hostile input:
 * every refused address class) and the pinned connection, against a real HTTP server on loopback.
 */
class CommitStatusForgeTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SHA = "a".repeat(40);
  private static final Forge.Status FAILED =
      new Forge.Status(
          SHA, "failure", "slipway/shop", "https://portal.test/b/1", "Build #1 failed");

  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange.getRequestBody().readAllBytes();
          if (exchange.getRequestURI().getPath().startsWith("/moved")) {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            exchange.sendResponseHeaders(302, -1);
          } else {
            byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void gitHubGetsBearerAuthAndAStatusUnderOwnerAndRepo() {
    Forge.Request request =
        Forge.GITHUB.request(
            URI.create("https://api.github.com"),
            "https://github.com/acme/shop.git",
            "ghp_token",
            FAILED);

    assertThat(request.uri()).hasToString("https://api.github.com/repos/acme/shop/statuses/" + SHA);
    assertThat(request.headers()).containsEntry("Authorization", "Bearer ghp_token");
    assertThat(json(request))
        .isEqualTo(
            JSON.valueToTree(
                Map.of(
                    "state", "failure",
                    "context", "slipway/shop",
                    "target_url", "https://portal.test/b/1",
                    "description", "Build #1 failed")));
    assertThat(request.toString()).doesNotContain("ghp_token");
  }

  @Test
  void giteaGetsTheSamePathAndBodyWithTokenAuth() {
    Forge.Request request =
        Forge.GITEA.request(
            URI.create("https://git.example.com/api/v1"),
            "https://git.example.com/acme/shop",
            "tea",
            FAILED);

    assertThat(request.uri())
        .hasToString("https://git.example.com/api/v1/repos/acme/shop/statuses/" + SHA);
    assertThat(request.headers()).containsEntry("Authorization", "token tea");
    assertThat(json(request).path("state").asString()).isEqualTo("failure");
    assertThat(json(request).path("context").asString()).isEqualTo("slipway/shop");
  }

  @Test
  void gitLabGetsTheEncodedProjectPathPrivateTokenNameAndFailed() {
    Forge.Request request =
        Forge.GITLAB.request(
            URI.create("https://gitlab.example.com/api/v4"),
            "https://gitlab.example.com/acme/web/shop.git",
            "glpat",
            FAILED);

    assertThat(request.uri())
        .hasToString(
            "https://gitlab.example.com/api/v4/projects/acme%2Fweb%2Fshop/statuses/" + SHA);
    assertThat(request.headers()).containsEntry("PRIVATE-TOKEN", "glpat");
    assertThat(request.headers()).doesNotContainKey("Authorization");
    JsonNode body = json(request);
    assertThat(body.path("state").asString()).isEqualTo("failed");
    assertThat(body.path("name").asString()).isEqualTo("slipway/shop");
    assertThat(body.has("context")).isFalse();
    assertThat(body.path("target_url").asString()).isEqualTo("https://portal.test/b/1");
  }

  @Test
  void aSourceRefWithoutOwnerAndRepositoryIsRefused() {
    assertThatThrownBy(
            () ->
                Forge.GITHUB.request(
                    URI.create("https://api.github.com"), "https://github.com/shop", "t", FAILED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no owner/repository");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:2019",
        "https://127.0.0.2/",
        "https://[::1]/",
        "http://169.254.169.254/",
        "https://[fe80::1]/",
        "https://10.1.2.3/",
        "https://192.168.1.1/",
        "https://172.16.0.1/",
        "https://[fd00::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://224.0.0.1/",
        "https://0.0.0.0/",
        "https://[::]/",
        "https://localhost/"
      })
  void anAddressThatIsNotOnePublicHostIsRefused(String url) {
    // http allowed: the address is what refuses these
    assertThatThrownBy(() -> urls(true, List.of()).parse(url))
        .isInstanceOf(Problem.class)
        .hasMessageStartingWith("apiUrl refused: the host ")
        .hasMessageContaining("(slipway.build.commit-status.allowed-hosts)");
  }

  @Test
  void theHostsOwnAddressesAreRefused() throws IOException {
    InetAddress own =
        NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .findFirst()
            .orElseThrow();
    String host =
        own.getHostAddress().contains(":")
            ? "[" + own.getHostAddress() + "]"
            : own.getHostAddress();

    assertThatThrownBy(() -> urls(false).parse("https://" + host + "/"))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("apiUrl refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://user:pass@api.github.com",
        "https://api.github.com/#frag",
        "https://api.github.com/?a=b",
        "https://api.github.com/\u0000x",
        "https://api.github.com/ x",
        "ftp://api.github.com",
        "api.github.com",
        "https:///nohost"
      })
  void aMalformedOrDangerousUrlIsRefused(String url) {
    assertThatThrownBy(() -> urls(false).parse(url))
        .isInstanceOf(Problem.class)
        .hasMessageStartingWith("apiUrl ");
  }

  @Test
  void aLongUrlAndPlainHttpAreRefusedUnlessTheOperatorAllowsHttp() {
    assertThatThrownBy(() -> urls(false).parse("https://a.example/" + "x".repeat(500)))
        .hasMessage("apiUrl is longer than 500 characters");
    assertThatThrownBy(() -> urls(false).parse("http://127.0.0.1:" + port()))
        .hasMessage(
            "apiUrl must be an https URL: this platform does not allow http"
                + " (slipway.build.commit-status.allow-http)");
  }

  @Test
  void anAllowListedHostAndPortPassesButTheSameHostAtAnotherPortDoesNot() {
    URI allowed = urls(true).parse("http://127.0.0.1:" + port() + "/api/");

    assertThat(allowed).hasToString("http://127.0.0.1:" + port() + "/api");
    assertThat(urls(true).resolve(allowed).address().isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> urls(true).parse("http://127.0.0.1:" + (port() + 1)))
        .hasMessageContaining("is the host's loopback");
  }

  @Test
  void aPostReadsOnlyTheStatusLineAndARedirectIsNotFollowed() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Forge.Request created =
        Forge.GITHUB.request(
            URI.create("http://127.0.0.1:" + port()), "https://github.com/acme/shop", "t", FAILED);
    Forge.Request moved =
        Forge.GITHUB.request(
            URI.create("http://127.0.0.1:" + port() + "/moved"),
            "https://github.com/acme/shop",
            "t",
            FAILED);

    assertThat(ForgeConnection.post(created, loopback)).isEqualTo(201);
    assertThat(ForgeConnection.post(moved, loopback)).isEqualTo(302);
    assertThat(seen)
        .containsExactly(
            "POST /repos/acme/shop/statuses/" + SHA, "POST /moved/repos/acme/shop/statuses/" + SHA);
  }

  private ForgeUrl urls(boolean allowHttpAndServer) {
    return urls(
        allowHttpAndServer, allowHttpAndServer ? List.of("127.0.0.1:" + port()) : List.of());
  }

  private static ForgeUrl urls(boolean allowHttp, List<String> allowedHosts) {
    return new ForgeUrl(
        new CommitStatusProperties(
            allowHttp, allowedHosts, 3, Duration.ofSeconds(1), Duration.ofSeconds(1)));
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static JsonNode json(Forge.Request request) {
    return JSON.readTree(request.body());
  }
}
