package io.slipway.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin socket that drops connections without answering, as Caddy does while it reloads: the
 * router makes the call once more, and only once.
 */
class CaddyRouterRetryTest {

  private final AppRef ref = Specs.ref("acme", "shop", "web");

  @TempDir Path dir;

  @Test
  void aCallDroppedWithoutAnAnswerIsMadeOnceMore() throws Exception {
    try (ServerSocketChannel server = listen()) {
      List<String> seen = serve(server, 1);
      router().route(ref, List.of("web.example"), List.of("10.0.0.2:8080"));
      String route =
          "PATCH /id/slipway."
              + String.join(".", ref.appId(), ref.projectId(), ref.tenantId())
              + ".acme.shop.web.web--shop--acme";
      assertThat(seen).containsExactly(route, route);
    }
  }

  @Test
  void aSecondDropIsAnError() throws Exception {
    try (ServerSocketChannel server = listen()) {
      List<String> seen = serve(server, 2);
      assertThatThrownBy(() -> router().unroute(ref))
          .isInstanceOf(CaddyRouter.RouterException.class)
          .hasMessageContaining("unreachable");
      assertThat(seen).hasSize(2);
    }
  }

  private ServerSocketChannel listen() throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("admin.sock")));
    return server;
  }

  private CaddyRouter router() {
    return new CaddyRouter(dir.resolve("admin.sock"), "slipway", "127.0.0.1:0");
  }

  /** Drops the first {@code drops} requests unanswered, then answers 200 with {@code {}}. */
  private static List<String> serve(ServerSocketChannel server, int drops) {
    List<String> seen = new CopyOnWriteArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              for (int n = 0; ; n++) {
                try (SocketChannel socket = server.accept()) {
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              Channels.newInputStream(socket), StandardCharsets.UTF_8));
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
                  OutputStream out = Channels.newOutputStream(socket);
                  out.write("HTTP/1.0 200 OK\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  return; // the server socket was closed
                }
              }
            });
    return seen;
  }
}
