package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.testing.TestCaddy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Caddy router against a real Caddy: routes by host, found again, removed idempotently. */
class CaddyRouterIT {

  static TestCaddy caddy;
  static CaddyRouter router;

  @BeforeAll
  static void start() throws Exception {
    caddy = TestCaddy.start();
    router = new CaddyRouter(caddy.adminSocket(), "slipway", caddy.listen());
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
    // Routed (to an upstream that is down): Caddy answers 502; an unknown host gets no route.
    assertThat(HostRequest.get(caddy.httpPort(), "web--shop--acme.apps.localhost", "/").status())
        .isEqualTo(502);
    assertThat(HostRequest.get(caddy.httpPort(), "nobody.apps.localhost", "/").status())
        .isNotEqualTo(502);

    router.unroute(ref);
    router.unroute(ref);
    assertThat(router.routed()).containsExactly(other);
    assertThat(HostRequest.get(caddy.httpPort(), "web--shop--acme.apps.localhost", "/").status())
        .isNotEqualTo(502);
    router.unroute(other);
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
