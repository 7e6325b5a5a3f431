package io.slipway.build.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.NamespaceHost;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Builds' egress from the real sandbox (podman, the builder image, buildah, the relay) through
 * build-service's proxy. The "registry" is an HTTP server in a network namespace of the test's own
 * behind a veth pair, so it is neither the host's loopback nor one of its addresses: at a public
 * (documentation) address, and at a private one that the test's allow-list opens, next to one it
 * does not.
 */
class BuildEgressIT extends BuildServiceTest {

  private static final String BUSYBOX = "/bin/busybox";
  private static final String SUFFIX =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  private static final NamespaceHost HOST = new NamespaceHost("slwegr", 2);

  /** The registry's public address; the host's end of the veth is the one before it. */
  private static final String REGISTRY = HOST.publicAddress();

  private static final String HOST_END_ADDRESS = HOST.hostEndAddress();

  /** The host's end of the veth on the private net. */
  private static final String PRIVATE_HOST_END = HOST.privateAddress(1);

  /** On the allow-list. */
  private static final String MIRROR = HOST.privateAddress(2);

  /** Private, next to the mirror, not on the allow-list. */
  private static final String UNLISTED = HOST.privateAddress(3);

  /**
   * A busybox base of this class's own (a platform image of its context): the shared static base is
   * another test class's to build and remove.
   */
  private static final String BASE = IMAGE_PREFIX + "/egress-base-" + SUFFIX + ":1";

  private static final String BODY = "registry-package-" + UUID.randomUUID();
  private static Path requestLog;

  @Autowired JdbcClient jdbc;
  @TempDir Path work;
  private GitCli git;

  @DynamicPropertySource
  static void egress(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.egress.allowed-cidrs", () -> MIRROR + "/32");
    registry.add("slipway.build.sandbox.platform-images", () -> BASE);
  }

  @BeforeAll
  static void startRegistry(@TempDir Path dir) throws Exception {
    Files.copy(Path.of(BUSYBOX), dir.resolve("busybox"));
    Files.writeString(dir.resolve("Containerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
    Commands.ok("buildah", "bud", "--pull=never", "--tag=" + BASE, dir.toString());
    HOST.open();
    requestLog = dir.resolve("requests");
    Files.writeString(requestLog, "");
    HOST.serve(
        """
        import http.server, sys
        log, body = sys.argv[1], sys.argv[2].encode()
        class Registry(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with open(log, 'a') as f:
                    f.write(self.client_address[0] + ' ' + self.path + '\\n')
                self.send_response(200)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(('0.0.0.0', 80), Registry).serve_forever()
        """,
        dir,
        REGISTRY,
        requestLog.toString(),
        BODY);
  }

  @AfterAll
  static void stopRegistry() {
    HOST.close();
    Commands.run("buildah", "rmi", "-f", BASE);
  }

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
  }

  @Test
  void aBuildReachesARegistryOnlyThroughTheProxyAndNotOnceTheTenantTurnsEgressOff()
      throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    String b = BUSYBOX;
    Path repo =
        git.newRepository(
            work.resolve("fetch"),
            Map.of(
                "Containerfile",
                "FROM "
                    + BASE
                    + "\nRUN "
                    + shell(
                        b
                            + " wget -q -O - http://"
                            + REGISTRY
                            + "/by-run-step; "
                            + b
                            + " echo; "
                            + b
                            + " wget -q -O - http://"
                            + MIRROR
                            + "/from-the-mirror; "
                            + b
                            + " echo; "
                            // the sandbox has no route of its own: only the proxy gets out
                            + b
                            + " nc -w 3 "
                            + REGISTRY
                            + " 80 </dev/null && echo direct-$((40+2)) || echo no-direct-$((40+2))")
                    + "\n"));

    JsonNode build = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log)
        .contains(
            "Building in a sandbox: no network but public package registries through the"
                + " platform's proxy (ports 80, 443)")
        .contains(BODY)
        .contains("no-direct-42")
        .doesNotContainPattern("(?m)^direct-42$");
    // every request came from the proxy, at the host's end of the veth (or of the private net)
    assertThat(requests())
        .containsExactlyInAnyOrder(
            HOST_END_ADDRESS + " /by-run-step", PRIVATE_HOST_END + " /from-the-mirror");

    // ADD of a URL is fetched by buildah itself, and the builder's buildah (1.39) ignores proxy
    // variables for it: the sandbox has no route, so it fails and nothing arrives
    Files.writeString(
        repo.resolve("Containerfile"),
        "FROM " + BASE + "\nADD http://" + REGISTRY + "/added-by-buildah /added\n");
    commit(repo);
    JsonNode add = push(tenant, repo, 2);
    assertThat(add.path("status").asString()).isEqualTo("failed");
    assertThat(tenant.log(baseUrl(), 2)).contains("network is unreachable");
    assertThat(requests()).hasSize(2);

    // the tenant admin turns it off: the same build now fails, saying why and how to undo it
    Json.Response off = Json.put(tenant.owner.jwt(), egressUrl(tenant), Map.of("enabled", false));
    assertThat(off.status()).as(off.body()).isEqualTo(200);
    assertThat(off.json().path("enabled").asBoolean()).isFalse();
    assertThat(off.json().path("platformDefault").asBoolean()).isFalse();
    assertThat(off.json().path("changedBy").asString()).isEqualTo(tenant.owner.name());
    // a step no earlier build ran, so no cached layer stands in for it
    Files.writeString(
        repo.resolve("Containerfile"),
        "FROM "
            + BASE
            + "\nRUN "
            + shell(b + " wget -q -O - http://" + REGISTRY + "/after-egress-off")
            + "\n");
    commit(repo);

    JsonNode refused = push(tenant, repo, 3);

    String refusedLog = tenant.log(baseUrl(), 3);
    assertThat(refused.path("status").asString()).as(refusedLog).isEqualTo("failed");
    assertThat(refusedLog)
        .contains("Building in a sandbox: no network (build egress is off for this tenant)")
        .contains(
            "egress refused: build egress is off for this tenant; a tenant admin can turn it on"
                + " with PUT /api/v1/tenants/<tenant>/build-egress {\"enabled\": true}")
        .doesNotContain(BODY);
    assertThat(requests()).hasSize(2);
    JsonNode event = auditEvent(tenant);
    assertThat(event.path("actor").asString()).isEqualTo(tenant.owner.name());
    assertThat(event.path("after").path("enabled").asBoolean(true)).isFalse();
  }

  @Test
  void theHostItsAddressesThePlatformLinkLocalAndUnlistedPrivateAddressesAreAlwaysRefused()
      throws Exception {
    AtomicInteger reached = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          reached.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      int tenantService = URI.create(TestTenantService.url()).getPort();
      Map<String, String> refusals = new java.util.LinkedHashMap<>();
      refusals.put("127.0.0.1:" + port, "is the host's loopback");
      refusals.put("[::1]:" + port, "is the host's loopback");
      refusals.put(hostAddress() + ":" + port, "is one of the host's own addresses");
      refusals.put("127.0.0.1:" + this.port, "is the host's loopback");
      refusals.put("127.0.0.1:" + tenantService, "is the host's loopback");
      refusals.put(HOST_END_ADDRESS + ":80", "is one of the host's own addresses");
      refusals.put("169.254.169.254:80", "is a link-local address");
      refusals.put("10.88.0.77:80", "is on one of the platform's container networks");
      refusals.put(
          UNLISTED + ":80", "is a private address, not on the platform's build egress allow-list");
      StringBuilder script = new StringBuilder("b=" + BUSYBOX + "; ");
      for (String target : refusals.keySet()) {
        // straight to the relay, as any program in a RUN step could: the proxy is the one check
        script
            .append("$b printf 'CONNECT ")
            .append(target)
            .append(" HTTP/1.1\\r\\n\\r\\n' | $b nc -w 5 127.0.0.1 3128 >/dev/null; ");
      }
      // plain HTTP through the proxy variables, to the host's address and the platform's port
      script
          .append("$b wget -q -O /dev/null http://")
          .append(hostAddress())
          .append(':')
          .append(this.port)
          .append("/actuator/health || $b echo wget-refused-$((40+2))");
      Tenancy tenant = new Tenancy(TestTenantService.url());
      Path repo =
          git.newRepository(
              work.resolve("attacks"),
              Map.of("Containerfile", "FROM " + BASE + "\nRUN " + shell(script.toString()) + "\n"));

      JsonNode build = push(tenant, repo, 1);

      String log = tenant.log(baseUrl(), 1);
      assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
      refusals.forEach(
          (target, reason) ->
              assertThat(log).contains("egress refused: " + target + " " + reason + "\n"));
      assertThat(log)
          .contains(
              "egress refused: "
                  + hostAddress()
                  + ":"
                  + this.port
                  + " is one of the host's own addresses")
          .contains("wget-refused-42");
      assertThat(reached.get()).as("requests that reached the host's server").isZero();
      assertThat(requests()).as("requests that reached the registry").isEmpty();

      // ADD to the sandbox's own relay port: buildah skips the proxy for loopback, and the proxy
      // is no server
      Files.writeString(
          repo.resolve("Containerfile"),
          "FROM " + BASE + "\nADD http://127.0.0.1:3128/config/ /x\n");
      commit(repo);
      JsonNode add = push(tenant, repo, 2);
      assertThat(add.path("status").asString()).isEqualTo("failed");
      assertThat(tenant.log(baseUrl(), 2))
          .contains(
              "egress refused: a request for a path, not for a URL: the proxy is not a server");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void onlyATenantAdminTurnsEgressOffAndAnotherTenantSeesNothing() {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Tenancy.User developer = tenant.member("developer");
    Tenancy other = new Tenancy(TestTenantService.url());

    Json.Response read = Json.get(developer.jwt(), egressUrl(tenant));
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().path("enabled").asBoolean()).isTrue();
    assertThat(read.json().path("platformDefault").asBoolean()).isTrue();

    Json.Response byDeveloper =
        Json.put(developer.jwt(), egressUrl(tenant), Map.of("enabled", false));
    assertThat(byDeveloper.status()).as(byDeveloper.body()).isEqualTo(403);
    assertThat(byDeveloper.body()).contains("needs the tenant-admin role");

    Json.Response foreignRead = Json.get(other.owner.jwt(), egressUrl(tenant));
    Json.Response foreignChange =
        Json.put(other.owner.jwt(), egressUrl(tenant), Map.of("enabled", false));
    assertThat(foreignRead.status()).as(foreignRead.body()).isEqualTo(404);
    assertThat(foreignChange.status()).as(foreignChange.body()).isEqualTo(404);
    assertThat(foreignChange.body()).contains("not-found").doesNotContain(tenant.owner.name());

    Json.Response missing = Json.put(tenant.owner.jwt(), egressUrl(tenant), Map.of());
    assertThat(missing.status()).as(missing.body()).isEqualTo(422);
    assertThat(missing.body()).contains("build-egress-enabled-missing");
    // nothing changed for anyone
    assertThat(Json.get(tenant.owner.jwt(), egressUrl(tenant)).json().path("enabled").asBoolean())
        .isTrue();
  }

  @Test
  void aDeletedTenantsChoiceGoesWithIt() {
    Tenancy deleted = new Tenancy(TestTenantService.url());
    Tenancy kept = new Tenancy(TestTenantService.url());
    for (Tenancy tenant : List.of(deleted, kept)) {
      Json.Response off = Json.put(tenant.owner.jwt(), egressUrl(tenant), Map.of("enabled", false));
      assertThat(off.status()).as(off.body()).isEqualTo(200);
    }
    String deletedId = deleted.ids().tenantId();
    assertThat(choices(deletedId)).isEqualTo(1);

    deleted.delete();

    await().atMost(Duration.ofSeconds(60)).until(() -> choices(deletedId) == 0);
    assertThat(choices(kept.ids().tenantId())).isEqualTo(1);
  }

  private long choices(String tenantId) {
    return jdbc.sql("select count(*) from build_egress_tenant where tenant = ?")
        .param(tenantId)
        .query(Long.class)
        .single();
  }

  @Test
  void npmInstallOfATinyPackageSucceedsInASandboxedBuild() {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("npm"),
            Map.of(
                "Containerfile",
                "FROM localhost/slipway/stacks/node:1\nWORKDIR /app\n"
                    + "RUN npm install --no-audit --no-fund is-number@7.0.0"
                    + " && node -e \"console.log('is-number says ' + require('is-number')(42))\"\n"));

    JsonNode build = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log).contains("is-number says true");
  }

  @Test
  void aMavenProjectFetchesItsDependencyThroughTheProxy() {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("maven"),
            Map.of(
                "pom.xml",
                """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>app</artifactId><version>1</version>
                  <properties>
                    <maven.compiler.source>17</maven.compiler.source>
                    <maven.compiler.target>17</maven.compiler.target>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>com.google.code.findbugs</groupId><artifactId>jsr305</artifactId>
                      <version>3.0.2</version>
                    </dependency>
                  </dependencies>
                </project>
                """,
                "src/main/java/example/App.java",
                """
                package example;
                public class App {
                  @javax.annotation.Nonnull
                  public static String name() { return "app"; }
                  public static void main(String[] args) { System.out.println(name()); }
                }
                """));

    tenant.push(git, repo, port);
    // the tenant's first Java build imports the JDK and Maven stack (about 500 MB) into its store
    JsonNode build = tenant.awaitEnded(baseUrl(), 1, Duration.ofMinutes(8));
    images.add(build.path("image").asString());

    // Maven reads no proxy variables: without the settings the stack writes, it cannot resolve
    // the dependency in a sandbox with no network of its own
    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
  }

  private JsonNode auditEvent(Tenancy tenant) {
    Json.Response trail =
        Json.get(
            tenant.owner.jwt(),
            TestTenantService.url()
                + "/api/v1/tenants/"
                + tenant.tenant
                + "/audit?action=build-egress.changed");
    assertThat(trail.status()).as(trail.body()).isEqualTo(200);
    JsonNode event = trail.json().path("items").get(0);
    assertThat(event.path("recordedBy").asString()).isEqualTo("build-service");
    assertThat(event.path("target").asString()).isEqualTo(tenant.tenant);
    return event;
  }

  private String egressUrl(Tenancy tenant) {
    return baseUrl() + "/api/v1/tenants/" + tenant.tenant + "/build-egress";
  }

  private static List<String> requests() throws IOException {
    return Files.readAllLines(requestLog, StandardCharsets.UTF_8);
  }

  private void commit(Path repo) {
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "change");
  }

  private JsonNode push(Tenancy tenant, Path repo, int number) {
    tenant.push(git, repo, port);
    JsonNode build = tenant.awaitEnded(baseUrl(), number);
    if (!build.path("image").isMissingNode() && !build.path("image").isNull()) {
      images.add(build.path("image").asString());
    }
    return build;
  }

  /** A RUN step in exec form: the base has no /bin/sh, only busybox. */
  private static String shell(String script) {
    return "[\"" + BUSYBOX + "\", \"sh\", \"-c\", \"" + script.replace("\"", "\\\"") + "\"]";
  }

  private static String hostAddress() throws Exception {
    return NetworkInterface.networkInterfaces()
        .filter(nic -> !isLoopbackOrDown(nic) && !nic.getName().startsWith("slwegr"))
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address)
        .map(InetAddress::getHostAddress)
        .findFirst()
        .orElseThrow();
  }

  private static boolean isLoopbackOrDown(NetworkInterface nic) {
    try {
      return nic.isLoopback() || !nic.isUp();
    } catch (java.net.SocketException e) {
      return true;
    }
  }
}
