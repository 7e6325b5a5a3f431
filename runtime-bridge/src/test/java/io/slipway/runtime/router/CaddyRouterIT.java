package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.testing.TestCaddy;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Caddy router against a real Caddy: routes by host, found again, removed idempotently. */
class CaddyRouterIT {

  static TestCaddy caddy;
  static CaddyRouter router;

  @BeforeAll
  static void start() throws Exception {
    caddy = TestCaddy.start();
    router = new CaddyRouter(caddy.admin(), "slipway", caddy.listen());
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

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
