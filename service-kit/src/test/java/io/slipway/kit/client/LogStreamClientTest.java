package io.slipway.kit.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live logs through the shared clients, against a real HTTP server whose stream pauses between
 * events as a running build's log does: a client made with no read timeout reads on, and the call
 * asks for Server-Sent Events with the caller's token.
 */
class LogStreamClientTest {

  /** How long the stream is silent between its two events: longer than the short timeout below. */
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private URI base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::stream);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** Two log events with a pause between them, as a build that is still running writes them. */
  private void stream(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    seen.add(
        uri.getRawPath()
            + "?"
            + uri.getRawQuery()
            + " "
            + exchange.getRequestHeaders().getFirst("Accept")
            + " "
            + exchange.getRequestHeaders().getFirst("Authorization"));
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write("event: log\ndata: one\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      Thread.sleep(PAUSE);
      out.write("event: log\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException gone) {
      // the client stopped reading
    }
  }

  @Test
  void aStreamFromAClientWithNoReadTimeoutIsReadToItsEndThroughPauses() throws IOException {
    RuntimeBridge streams =
        ServiceClients.create(RuntimeBridge.class, base, () -> "service-token", null, List.of());
    try (InputStream log =
        streams.logs("acme", "web", "api", 100, true, ServiceClients.bearer("caller"))) {
      assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("event: log\ndata: one\n\nevent: log\ndata: two\n\n");
    }
    assertThat(seen)
        .containsExactly(
            "/api/v1/tenants/acme/projects/web/apps/api/logs?tail=100&follow=true"
                + " text/event-stream Bearer caller");
  }

  @Test
  void aClientWithAReadTimeoutCutsALiveStreamOffWhereverItIs() {
    // why streams need a client of their own: the read timeout bounds the whole exchange
    RuntimeBridge timed =
        ServiceClients.create(
            RuntimeBridge.class, base, () -> "service-token", Duration.ofMillis(500), List.of());
    String read;
    try (InputStream log =
        timed.logs("acme", "web", "api", 100, true, ServiceClients.bearer("caller"))) {
      read = new String(log.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException cut) {
      read = "cut off: " + cut;
    }
    assertThat(read).doesNotContain("data: two");
  }

  @Test
  void aBuildsLogAsksForItsEventsAsTheCaller() throws IOException {
    AppBuilds streams =
        ServiceClients.create(AppBuilds.class, base, () -> "service-token", null, List.of());
    try (InputStream log =
        streams.buildLog("acme", "web", "api", 7, ServiceClients.bearer("caller"))) {
      assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8)).endsWith("data: two\n\n");
    }
    assertThat(seen)
        .containsExactly(
            "/api/v1/tenants/acme/projects/web/apps/api/builds/7/logs?null"
                + " text/event-stream Bearer caller");
  }

  @Test
  void aRunsOutputAsksForItsEventsAsTheCaller() throws IOException {
    RuntimeBridge streams =
        ServiceClients.create(RuntimeBridge.class, base, () -> "service-token", null, List.of());
    try (InputStream output =
        streams.runOutput("acme", "web", "api", "abc234", ServiceClients.bearer("caller"))) {
      assertThat(new String(output.readAllBytes(), StandardCharsets.UTF_8))
          .endsWith("data: two\n\n");
    }
    assertThat(seen)
        .containsExactly(
            "/api/v1/tenants/acme/projects/web/apps/api/runs/abc234/output?null"
                + " text/event-stream Bearer caller");
  }
}
