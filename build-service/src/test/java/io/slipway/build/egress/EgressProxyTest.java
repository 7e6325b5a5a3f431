package io.slipway.build.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's protocol over its real unix socket, against a real HTTP server on this host's
 * loopback. The policy here allows exactly that server's address (the real policy never allows
 * loopback; EgressPolicyTest is its test, BuildEgressIT the whole path from a build).
 */
class EgressProxyTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path dir;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicBoolean enabled = new AtomicBoolean(true);
  private EgressProxy proxy;
  private int port;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " connection="
                  + exchange.getRequestHeaders().getFirst("Connection"));
          byte[] body = "registry answer".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() throws IOException {
    server.stop(0);
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void aPlainRequestInAbsoluteFormReachesTheServerInOriginForm() throws Exception {
    start(onlyLoopbackAllowed(), 4);

    String answer =
        exchange(
            "GET http://127.0.0.1:"
                + port
                + "/npm/is-number?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Proxy-Connection: keep-alive\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("registry answer");
    assertThat(requests).containsExactly("GET /npm/is-number?x=1 connection=close");
    assertThat(log).isEmpty();
  }

  @Test
  void connectOpensATunnelToTheCheckedAddress() throws Exception {
    start(onlyLoopbackAllowed(), 4);
    try (SocketChannel client = connect()) {
      write(client, "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String established = "HTTP/1.1 200 Connection established\r\n\r\n";
      ByteBuffer first = ByteBuffer.allocate(established.length());
      while (first.hasRemaining() && client.read(first) >= 0) {}
      assertThat(new String(first.array(), StandardCharsets.US_ASCII)).isEqualTo(established);

      write(client, "GET /tunnelled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(readAll(client)).startsWith("HTTP/1.1 200").endsWith("registry answer");
    }
    assertThat(requests).containsExactly("GET /tunnelled connection=close");
  }

  @Test
  void aRefusedAddressIsAnsweredWithA403AndOneLineInTheLog() throws Exception {
    EgressPolicy real = new EgressPolicy(List.of(), Set::of, List::of);
    start(real::refusal, 4);

    String answer = exchange("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 403 Forbidden");
    assertThat(log)
        .containsExactly("egress refused: 127.0.0.1:" + port + " is the host's loopback");
    assertThat(requests).isEmpty();
  }

  @Test
  void aNameIsRefusedWhenAnyOfItsAddressesIs() throws Exception {
    InetAddress refused = InetAddress.getByName("127.0.0.2");
    start(onlyLoopbackAllowed(), 4, Map.of("registry.test", new InetAddress[] {LOOPBACK, refused}));

    String answer = exchange("GET http://registry.test:" + port + "/ HTTP/1.1\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 403");
    assertThat(log)
        .containsExactly(
            "egress refused: registry.test:" + port + " (127.0.0.2) is refused by this test");
    assertThat(requests).isEmpty();
  }

  @Test
  void onlyAllowedPortsAreReachableNoOpenRelay() throws Exception {
    start(onlyLoopbackAllowed(), 4, Map.of(), List.of(443));

    String connect = exchange("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n");
    String plain = exchange("GET http://127.0.0.1:" + port + "/ HTTP/1.1\r\n\r\n");

    assertThat(connect).startsWith("HTTP/1.1 403");
    assertThat(plain).startsWith("HTTP/1.1 403");
    assertThat(log)
        .containsExactly(
            "egress refused: 127.0.0.1:" + port + " is not on an allowed port (443)",
            "egress refused: 127.0.0.1:" + port + " is not on an allowed port (443)");
    assertThat(requests).isEmpty();
  }

  @Test
  void aRequestThatIsNotAProxyRequestIsA400() throws Exception {
    start(onlyLoopbackAllowed(), 4);

    String answer = exchange("GET /config/ HTTP/1.1\r\nHost: 127.0.0.1:2019\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
    assertThat(log)
        .containsExactly(
            "egress refused: a request for a path, not for a URL: the proxy is not a server");
    assertThat(requests).isEmpty();
  }

  @Test
  void whileTheTenantHasEgressOffEveryRequestIsRefusedSayingHowToTurnItOn() throws Exception {
    start(onlyLoopbackAllowed(), 4);
    enabled.set(false);

    String answer = exchange("GET http://127.0.0.1:" + port + "/ HTTP/1.1\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 403");
    assertThat(log)
        .containsExactly("egress refused: build egress is off for this tenant; turn it on");
    assertThat(requests).isEmpty();
  }

  @Test
  void connectionsBeyondTheCapAreRefused() throws Exception {
    start(onlyLoopbackAllowed(), 1);
    try (SocketChannel open = connect()) {
      write(open, "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n");
      ByteBuffer established = ByteBuffer.allocate(10);
      while (established.hasRemaining() && open.read(established) >= 0) {}

      String second = exchange("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n");

      assertThat(second).startsWith("HTTP/1.1 503");
      assertThat(log)
          .containsExactly(
              "egress refused: more than 1 connections at once from this tenant's builds");
    }
  }

  private static Function<InetAddress, Optional<String>> onlyLoopbackAllowed() {
    return address ->
        address.equals(LOOPBACK) ? Optional.empty() : Optional.of("is refused by this test");
  }

  private void start(Function<InetAddress, Optional<String>> policy, int cap) throws IOException {
    start(policy, cap, Map.of());
  }

  private void start(
      Function<InetAddress, Optional<String>> policy, int cap, Map<String, InetAddress[]> names)
      throws IOException {
    start(policy, cap, names, List.of(port));
  }

  private void start(
      Function<InetAddress, Optional<String>> policy,
      int cap,
      Map<String, InetAddress[]> names,
      List<Integer> ports)
      throws IOException {
    EgressProperties properties =
        new EgressProperties(
            true, ports, List.of(), Duration.ofSeconds(5), Duration.ofSeconds(10), cap);
    proxy =
        new EgressProxy(
            dir.resolve("proxy.sock"),
            policy,
            properties,
            enabled::get,
            "turn it on",
            log::add,
            host -> {
              InetAddress[] known = names.get(host);
              if (known != null) {
                return known;
              }
              if (host.matches("[0-9.]+")) {
                return InetAddress.getAllByName(host);
              }
              throw new UnknownHostException(host);
            });
    proxy.start(-1);
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(dir.resolve("proxy.sock")));
    return channel;
  }

  private String exchange(String request) throws IOException {
    try (SocketChannel client = connect()) {
      write(client, request);
      return readAll(client);
    }
  }

  private static void write(SocketChannel client, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    while (bytes.hasRemaining()) {
      client.write(bytes);
    }
  }

  private static String readAll(SocketChannel client) throws IOException {
    InputStream in = Channels.newInputStream(client);
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
