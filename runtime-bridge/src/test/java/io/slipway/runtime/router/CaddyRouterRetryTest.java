package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An admin API that drops connections without answering, as a kept-alive connection Caddy closed
 * meanwhile does: the router makes the call once more, and only once.
 */
class CaddyRouterRetryTest {

  private final AppRef ref = Specs.ref("acme", "shop", "web");

  @Test
  void aCallDroppedWithoutAnAnswerIsMadeOnceMore() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<String> seen = serve(server, 1);
      router(server).route(ref, List.of("web.example"), List.of("10.0.0.2:8080"));
      String route =
          "PATCH /id/slipway."
              + String.join(".", ref.appId(), ref.projectId(), ref.tenantId())
              + ".acme.shop.web.web--shop--acme";
      assertThat(seen).containsExactly(route, route);
    }
  }

  @Test
  void aSecondDropIsAnError() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<String> seen = serve(server, 2);
      assertThatThrownBy(() -> router(server).unroute(ref))
          .isInstanceOf(CaddyRouter.RouterException.class)
          .hasMessageContaining("unreachable");
      assertThat(seen).hasSize(2);
    }
  }

  private static CaddyRouter router(ServerSocket server) {
    return new CaddyRouter(
        URI.create("http://127.0.0.1:" + server.getLocalPort()), "slipway", "127.0.0.1:0");
  }

  /** Drops the first {@code drops} requests unanswered, then answers 200 with {@code {}}. */
  private static List<String> serve(ServerSocket server, int drops) {
    List<String> seen = new CopyOnWriteArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              for (int n = 0; ; n++) {
                try (Socket socket = server.accept()) {
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                  String requestLine = in.readLine();
                  int length = 0;
                  for (String header = in.readLine();
                      header != null && !header.isEmpty();
                      header = in.readLine()) {
                    if (header.toLowerCase().startsWith("content-length:")) {
                      length = Integer.parseInt(header.substring(15).strip());
                    }
                  }
                  in.skip(length);
                  seen.add(requestLine.substring(0, requestLine.lastIndexOf(' ')));
                  if (n < drops) {
                    continue; // closed without a byte of answer
                  }
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  return; // the server socket was closed
                }
              }
            });
    return seen;
  }
}
