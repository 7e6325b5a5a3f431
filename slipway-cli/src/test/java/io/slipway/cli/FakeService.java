package io.slipway.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JDK HTTP server standing in for a service where the class of an answer is what a test is about:
 * each {@code METHOD path} (path with its raw, still-encoded query) answers a status and a body;
 * anything else answers 404 with a problem detail. Every request is recorded.
 */
final class FakeService implements AutoCloseable {

  record Request(String method, String rawPath, String authorization, String body, String prefer) {}

  record Answer(int status, String contentType, String body, String location) {
    Answer(int status, String contentType, String body) {
      this(status, contentType, body, null);
    }
  }

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeService() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String raw = exchange.getRequestURI().getRawPath();
          String query = exchange.getRequestURI().getRawQuery();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String method = exchange.getRequestMethod();
          requests.add(
              new Request(
                  method,
                  raw + (query == null ? "" : "?" + query),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  body,
                  exchange.getRequestHeaders().getFirst("Prefer")));
          Answer answer = answers.get(method + " " + raw);
          if (answer == null) {
            answer = problem(404, "not-found", "No such thing: " + raw);
          }
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", answer.contentType());
          if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
          }
          exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeService answer(String methodAndPath, int status, String json) {
    answers.put(methodAndPath, new Answer(status, "application/json", json));
    return this;
  }

  /** Answers with a body of any content type (an HTML page, say). */
  FakeService text(String methodAndPath, int status, String contentType, String body) {
    answers.put(methodAndPath, new Answer(status, contentType, body));
    return this;
  }

  FakeService redirect(String methodAndPath, int status, String location) {
    answers.put(methodAndPath, new Answer(status, "text/html", "", location));
    return this;
  }

  FakeService problem(String methodAndPath, int status, String type, String detail) {
    answers.put(methodAndPath, problem(status, type, detail));
    return this;
  }

  private static Answer problem(int status, String type, String detail) {
    return new Answer(
        status,
        "application/problem+json",
        "{\"type\":\"https://slipway.io/problems/"
            + type
            + "\",\"title\":\"t\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail
            + "\"}");
  }

  Request last() {
    return requests.getLast();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
