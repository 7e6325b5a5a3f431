package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.unixhttp.UnixHttp;
import io.slipway.testing.TestCaddy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Caddy router against a real Caddy: routes by host, found again, removed idempotently; answers
 * an unknown host with its 404 page and an app without a live instance with its 503 page.
 */
class CaddyRouterIT {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private static final String PORTAL = "https://portal.example.test";

  static TestCaddy caddy;
  static CaddyRouter router;

  @BeforeAll
  static void start() throws Exception {
    caddy = TestCaddy.start();
    router =
        new CaddyRouter(
            caddy.adminSocket(),
            "slipway",
            caddy.listen(),
            new AppLinks(PORTAL + "/", "localhost"));
    router.ensureServer();
    router.ensureServer();
  }

  @AfterAll
  static void stop() {
    caddy.close();
  }

  @Test
  void routesByHostAndForgets() throws Exception {
    AppRef ref = Specs.ref("acme", "shop", "web");
    AppRef other = Specs.ref("acme", "shop", "api");
    int deadPort = closedPort();
    router.route(ref, "web--shop--acme.apps.localhost", List.of("127.0.0.1:" + deadPort));
    router.route(ref, "web--shop--acme.apps.localhost", List.of("127.0.0.1:" + deadPort));
    router.route(other, "api--shop--acme.apps.localhost", List.of("127.0.0.1:" + deadPort));
    assertThat(router.routed()).containsExactlyInAnyOrder(ref, other);
    // Routed (to an upstream that is down): the app is not running; an unknown host has no app.
    assertThat(HostRequest.get(caddy.httpPort(), "web--shop--acme.apps.localhost", "/").status())
        .isEqualTo(503);
    assertThat(HostRequest.get(caddy.httpPort(), "nobody.apps.localhost", "/").status())
        .isEqualTo(404);

    router.unroute(ref);
    router.unroute(ref);
    assertThat(router.routed()).containsExactly(other);
    assertThat(HostRequest.get(caddy.httpPort(), "web--shop--acme.apps.localhost", "/").status())
        .isEqualTo(404);
    router.unroute(other);
  }

  @Test
  void answersEachChallengeAtItsOwnPathUntilItIsNoLongerGiven() throws Exception {
    Challenge first = new Challenge("claimed.example.com", Challenge.newToken());
    Challenge second = new Challenge("claimed.example.com", Challenge.newToken());
    Challenge other = new Challenge("other.example.com", Challenge.newToken());
    router.serveChallenges(List.of(first, second, other));
    for (Challenge c : List.of(first, second, other)) {
      assertThat(HostRequest.get(caddy.httpPort(), c.domain(), c.path()))
          .isEqualTo(new HostRequest.Answer(200, c.token()));
    }
    // a token answers on its own domain only, and nothing else of the domain is served
    assertThat(HostRequest.get(caddy.httpPort(), other.domain(), first.path()).status())
        .isEqualTo(404);
    assertThat(HostRequest.get(caddy.httpPort(), first.domain(), "/").status()).isEqualTo(404);

    // the same set again, in another order, leaves Caddy's configuration as it is
    String before = caddy.adminGet("/config/");
    router.serveChallenges(List.of(other, second, first));
    assertThat(caddy.adminGet("/config/")).isEqualTo(before);

    router.serveChallenges(List.of(other));
    assertThat(HostRequest.get(caddy.httpPort(), first.domain(), first.path()).status())
        .isEqualTo(404);
    assertThat(HostRequest.get(caddy.httpPort(), other.domain(), other.path()).body())
        .isEqualTo(other.token());
    router.serveChallenges(List.of());
    assertThat(HostRequest.get(caddy.httpPort(), other.domain(), other.path()).status())
        .isEqualTo(404);
    assertThat(caddy.adminGet("/config/")).doesNotContain(other.token());
  }

  @Test
  void anUnknownHostGetsTheNoAppPage() throws Exception {
    HostRequest.Reply browser =
        HostRequest.get(caddy.httpPort(), "nobody.apps.localhost", "/", BROWSER_ACCEPT);
    assertThat(browser.status()).isEqualTo(404);
    assertThat(browser.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(browser.header("Cache-Control")).isEqualTo("no-store");
    assertThat(browser.body())
        .isEqualTo(RouterPages.NOT_FOUND_HTML)
        .contains("No app is served at this address.");

    HostRequest.Reply script = HostRequest.get(caddy.httpPort(), "nobody.example", "/x", null);
    assertThat(script.status()).isEqualTo(404);
    assertThat(script.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(script.body()).isEqualTo(RouterPages.NOT_FOUND_TEXT);
  }

  @Test
  void anAppWithNoLiveInstanceIsNotRunningForNow() throws Exception {
    AppRef ref = Specs.ref("acme", "shop", "down");
    String host = "down--shop--acme.apps.localhost";
    router.route(ref, host, List.of("127.0.0.1:" + closedPort()));
    try {
      HostRequest.Reply browser = HostRequest.get(caddy.httpPort(), host, "/", BROWSER_ACCEPT);
      assertThat(browser.status()).isEqualTo(503);
      assertThat(browser.header("Retry-After")).isEqualTo("5");
      assertThat(browser.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(browser.body())
          .isEqualTo(RouterPages.NOT_RUNNING_HTML)
          .contains("This app is not running right now.");

      HostRequest.Reply script = HostRequest.get(caddy.httpPort(), host, "/api", "*/*");
      assertThat(script.status()).isEqualTo(503);
      assertThat(script.header("Retry-After")).isEqualTo("5");
      assertThat(script.body()).isEqualTo(RouterPages.NOT_RUNNING_TEXT);
    } finally {
      router.unroute(ref);
    }
  }

  /**
   * A parked app's hosts answer the 503 page saying why at once; it counts as routed, parking it
   * with another reason replaces the page, routing it again serves it, and unrouting it (deleted)
   * leaves the 404 page that any unknown host gets. The page on the app's own host links its page
   * in the portal; on a custom domain it names nothing of the app.
   */
  @Test
  void aParkedAppSaysWhyUntilRoutedAgain() throws Exception {
    AppRef ref = Specs.ref("acme", "shop", "parked");
    String host = "parked--shop--acme.apps.localhost";
    String domain = "www.parked-shop.test";
    String link = PORTAL + "/t/acme/p/shop/a/parked";
    HttpServer app = answering("back\n");
    try {
      router.park(ref, List.of(host, domain), Parked.STOPPED);
      router.park(ref, List.of(host, domain), Parked.STOPPED);
      assertThat(router.routed()).contains(ref);
      HostRequest.Reply stopped = HostRequest.get(caddy.httpPort(), host, "/", BROWSER_ACCEPT);
      assertThat(stopped.status()).isEqualTo(503);
      assertThat(stopped.header("Retry-After")).isNull();
      assertThat(stopped.header("Cache-Control")).isEqualTo("no-store");
      assertThat(stopped.body())
          .isEqualTo(RouterPages.parkedHtml(Parked.STOPPED, Optional.of(link)))
          .contains("This app is stopped.", "<a href=\"" + link + "\">");
      HostRequest.Reply text = HostRequest.get(caddy.httpPort(), host, "/x", "*/*");
      assertThat(text.status()).isEqualTo(503);
      assertThat(text.body())
          .isEqualTo(
              "This app is stopped. It answers here again once it is started. If the app is yours, its page shows its status and logs: "
                  + link
                  + "\n");
      HostRequest.Reply onDomain = HostRequest.get(caddy.httpPort(), domain, "/", BROWSER_ACCEPT);
      assertThat(onDomain.status()).isEqualTo(503);
      assertThat(onDomain.body())
          .isEqualTo(RouterPages.parkedHtml(Parked.STOPPED, Optional.empty()))
          .doesNotContain("acme", "shop", "parked--", PORTAL);

      router.park(ref, List.of(host, domain), Parked.STARTING);
      HostRequest.Reply starting = HostRequest.get(caddy.httpPort(), host, "/", "*/*");
      assertThat(starting.status()).isEqualTo(503);
      assertThat(starting.header("Retry-After")).isEqualTo("5");
      assertThat(starting.body()).startsWith("This app is starting.").contains(link);

      router.route(ref, List.of(host, domain), List.of("127.0.0.1:" + app.getAddress().getPort()));
      assertThat(HostRequest.get(caddy.httpPort(), host, "/"))
          .isEqualTo(new HostRequest.Answer(200, "back\n"));
      router.park(ref, List.of(host), Parked.CRASHED);
      assertThat(HostRequest.get(caddy.httpPort(), host, "/").body())
          .startsWith("This app has crashed.");

      router.unroute(ref);
      assertThat(router.routed()).doesNotContain(ref);
      HostRequest.Reply deleted = HostRequest.get(caddy.httpPort(), host, "/", BROWSER_ACCEPT);
      assertThat(deleted.status()).isEqualTo(404);
      assertThat(deleted.body()).isEqualTo(RouterPages.NOT_FOUND_HTML);
    } finally {
      router.unroute(ref);
      app.stop(0);
    }
  }

  /**
   * An app answering at its id (named before today's host rule): its host does not name it, so
   * neither does its page, which links nowhere.
   */
  @Test
  void anAppWhoseHostDoesNotNameItGetsNoLink() throws Exception {
    AppRef named = Specs.ref("acme", "shop", "legacy");
    AppRef ref =
        new AppRef(
            named.tenant(),
            named.project(),
            named.app(),
            named.tenantId(),
            named.projectId(),
            named.appId(),
            named.appId());
    String host = named.appId() + ".apps.localhost";
    try {
      router.park(ref, List.of(host), Parked.NOT_DEPLOYED);
      HostRequest.Reply page = HostRequest.get(caddy.httpPort(), host, "/", BROWSER_ACCEPT);
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.body())
          .isEqualTo(RouterPages.parkedHtml(Parked.NOT_DEPLOYED, Optional.empty()))
          .contains("not been deployed yet")
          .doesNotContain("acme", "shop", "legacy", PORTAL);
    } finally {
      router.unroute(ref);
    }
  }

  /**
   * Nothing of the request goes into a page: a crafted host, path or placeholder gets the very same
   * bytes as any other request, and no other app's name shows.
   */
  @Test
  void requestDataIsNeverReflected() throws Exception {
    AppRef down = Specs.ref("victim", "secret", "down");
    String downHost = "down--secret--victim.apps.localhost";
    router.route(down, downHost, List.of("127.0.0.1:" + closedPort()));
    try {
      String attack = "/<script>alert(1)</script>?q=<img%20src=x%20onerror=alert(2)>";
      for (String host :
          List.of("evil'onmouseover=alert(3)'.apps.localhost", "nobody.apps.localhost:80")) {
        HostRequest.Reply page = HostRequest.get(caddy.httpPort(), host, attack, BROWSER_ACCEPT);
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).isEqualTo(RouterPages.NOT_FOUND_HTML).doesNotContain("alert");
      }
      HostRequest.Reply notRunning =
          HostRequest.get(caddy.httpPort(), downHost, attack, BROWSER_ACCEPT);
      assertThat(notRunning.status()).isEqualTo(503);
      assertThat(notRunning.body())
          .isEqualTo(RouterPages.NOT_RUNNING_HTML)
          .doesNotContain("alert", "victim", "secret");
      // Markup in the host never reaches a route: Caddy refuses the request itself.
      HostRequest.Reply markup =
          HostRequest.get(caddy.httpPort(), "<b>x</b>.apps.localhost", "/", BROWSER_ACCEPT);
      assertThat(markup.status()).isEqualTo(400);
      assertThat(markup.body()).doesNotContain("<b>");
      for (String placeholder : List.of("{http.request.host}", "{http.request.uri}")) {
        HostRequest.Reply page =
            HostRequest.get(caddy.httpPort(), "nobody.apps.localhost", "/" + placeholder, null);
        assertThat(page.body()).isEqualTo(RouterPages.NOT_FOUND_TEXT);
      }
    } finally {
      router.unroute(down);
    }
  }

  /** A route added after the catch-all goes before it, and the catch-all stays last and single. */
  @Test
  void anAppRoutedAfterTheCatchAllWins() throws Exception {
    AppRef ref = Specs.ref("acme", "shop", "live");
    String host = "live--shop--acme.apps.localhost";
    HttpServer app = answering("live\n");
    try {
      assertThat(HostRequest.get(caddy.httpPort(), host, "/").status()).isEqualTo(404);
      router.route(ref, host, List.of("127.0.0.1:" + app.getAddress().getPort()));
      router.ensureServer();
      assertThat(HostRequest.get(caddy.httpPort(), host, "/"))
          .isEqualTo(new HostRequest.Answer(200, "live\n"));
      assertThat(routeIds("slipway"))
          .endsWith("slipway-no-app-slipway")
          .containsOnlyOnce("slipway-no-app-slipway");
    } finally {
      router.unroute(ref);
      app.stop(0);
    }
    assertThat(HostRequest.get(caddy.httpPort(), host, "/").status()).isEqualTo(404);
  }

  /**
   * A server made before the router had pages (app routes only, no error routes) gets its catch-all
   * after its app routes and its error pages on the next preparation.
   */
  @Test
  void aServerWithoutPagesGetsThem() throws Exception {
    String listen = "127.0.0.1:" + closedPort();
    CaddyRouter older = new CaddyRouter(caddy.adminSocket(), "older", listen);
    AppRef ref = Specs.ref("acme", "old", "web");
    Map<String, Object> route =
        Map.of(
            "@id",
            CaddyRouter.id(ref),
            "match",
            List.of(Map.of("host", List.of("web.old.localhost"))),
            "handle",
            List.of(
                Map.of(
                    "handler",
                    "reverse_proxy",
                    "upstreams",
                    List.of(Map.of("dial", "127.0.0.1:" + closedPort())))),
            "terminal",
            true);
    // automatic_https off as every bridge made it: else Caddy would get a certificate for the
    // route's host and install its local CA in this machine's trust stores.
    Map<String, Object> server =
        Map.of(
            "listen",
            List.of(listen),
            "automatic_https",
            Map.of("disable", true),
            "routes",
            List.of(route));
    UnixHttp.Answer made =
        UnixHttp.exchange(
            caddy.adminSocket(),
            "PUT",
            "/config/apps/http/servers/older",
            null,
            JSON.writeValueAsBytes(server),
            Duration.ofSeconds(10));
    assertThat(made.status()).isEqualTo(200);
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    try {
      assertThat(HostRequest.get(port, "nobody.localhost", "/"))
          .isEqualTo(new HostRequest.Answer(200, ""));
      older.ensureServer();
      older.ensureServer();
      assertThat(HostRequest.get(port, "nobody.localhost", "/", null).body())
          .isEqualTo(RouterPages.NOT_FOUND_TEXT);
      HostRequest.Reply down = HostRequest.get(port, "web.old.localhost", "/", null);
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.body()).isEqualTo(RouterPages.NOT_RUNNING_TEXT);
      assertThat(older.routed()).containsExactly(ref);
      assertThat(routeIds("older")).containsExactly(CaddyRouter.id(ref), "slipway-no-app-older");
    } finally {
      UnixHttp.exchange(
          caddy.adminSocket(),
          "DELETE",
          "/config/apps/http/servers/older",
          null,
          null,
          Duration.ofSeconds(10));
    }
  }

  /** A live instance: a loopback HTTP server answering {@code text} to every request. */
  private static HttpServer answering(String text) throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/",
        exchange -> {
          byte[] body = text.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    app.start();
    return app;
  }

  private static List<String> routeIds(String server) throws Exception {
    List<String> ids = new ArrayList<>();
    JSON.readTree(caddy.adminGet("/config/apps/http/servers/" + server + "/routes"))
        .forEach(route -> ids.add(route.path("@id").asString("")));
    return ids;
  }

  /**
   * Only runtime-bridge reaches the admin API: Caddy listens on no TCP port but the router's own
   * (so no app or build container, nor any other local user, can connect to it over the network),
   * and the admin socket's directory is 0700 (no other user can enter it to connect).
   */
  @Test
  void theAdminApiHasNoTcpPortAndItsSocketIsPrivate() throws Exception {
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(caddy.adminSocket().getParent())))
        .isEqualTo("rwx------");
    Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
    List<String> caddyListens =
        new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .filter(line -> line.contains("pid=" + caddy.pid() + ","))
            .map(line -> line.trim().split("\\s+")[3])
            .toList();
    assertThat(ss.waitFor()).isZero();
    assertThat(caddyListens).containsExactly(caddy.listen());
  }

  @Test
  void anAdminSocketInADirectoryOthersMayEnterIsRefused(@TempDir Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    CaddyRouter open = new CaddyRouter(dir.resolve("admin.sock"), "slipway", caddy.listen());
    assertThatThrownBy(open::routed)
        .isInstanceOf(CaddyRouter.RouterException.class)
        .hasMessageContaining("make it 0700");
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
