package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The activator's proxying of a held request, between two real HTTP servers: method, target, body
 * and headers reach the instance (the activator's own header does not), and its answer comes back
 * whole, with a declared length or until it closes.
 */
class ForwardingTest {

  private HttpServer instance;
  private HttpServer activator;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    instance = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    instance.createContext("/", ForwardingTest::echo);
    instance.start();
    String upstream = "127.0.0.1:" + instance.getAddress().getPort();
    activator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    activator.createContext(
        "/",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            Forwarding.forward(exchange, in.readAllBytes(), upstream);
          }
        });
    activator.start();
  }

  @AfterEach
  void stop() {
    instance.stop(0);
    activator.stop(0);
  }

  @Test
  void aHeldPostReachesTheInstanceWholeAndItsAnswerComesBack() throws Exception {
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(URI.create(front("/orders?id=7&x=a%20b")))
                .header(ActivatorEndpoint.HEADER, "app.signature")
                .header("X-Custom", "kept")
                .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().firstValue("X-Echo")).hasValue("yes");
    assertThat(answer.body())
        .isEqualTo(
            "POST /orders?id=7&x=a%20b\n"
                + "host=127.0.0.1:"
                + activator.getAddress().getPort()
                + "\ncustom=kept\nactivate=null\n{\"qty\":2}");
  }

  @Test
  void anAnswerWithoutALengthIsPassedOnUntilTheInstanceCloses() throws Exception {
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(URI.create(front("/stream"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("x".repeat(100_000));
  }

  private String front(String target) {
    return "http://127.0.0.1:" + activator.getAddress().getPort() + target;
  }

  private static void echo(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestURI().getPath().equals("/stream")) {
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write("x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String text =
          exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI().getRawPath()
              + "?"
              + exchange.getRequestURI().getRawQuery()
              + "\nhost="
              + exchange.getRequestHeaders().getFirst("Host")
              + "\ncustom="
              + exchange.getRequestHeaders().getFirst("X-Custom")
              + "\nactivate="
              + exchange.getRequestHeaders().getFirst(ActivatorEndpoint.HEADER)
              + "\n"
              + body;
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("X-Echo", "yes");
      exchange.sendResponseHeaders(201, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }
}
