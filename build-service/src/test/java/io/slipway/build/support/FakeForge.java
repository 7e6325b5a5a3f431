package io.slipway.build.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays a forge's commit status API on 127.0.0.1 for build-service's tests: records every request
 * (path, authorization headers, JSON body) and answers 201, or the codes queued with {@link
 * #answerNext} first.
 */
public final class FakeForge {

  /** One request as received. */
  public record Received(String path, String authorization, String privateToken, JsonNode body) {

    public String state() {
      return body.path("state").asString();
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> next = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  public FakeForge() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestURI().getRawPath(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN"),
                  JSON.readTree(exchange.getRequestBody().readAllBytes())));
          Integer code = next.poll();
          exchange.sendResponseHeaders(code == null ? 201 : code, -1);
          exchange.close();
        });
    server.start();
  }

  /** The next requests are answered these codes, in order (then 201 again). */
  public void answerNext(Integer... codes) {
    next.addAll(List.of(codes));
  }

  /** The requests for this commit, in the order received. */
  public List<Received> about(String commit) {
    return received.stream().filter(r -> r.path().endsWith("/statuses/" + commit)).toList();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public void stop() {
    server.stop(0);
  }
}
