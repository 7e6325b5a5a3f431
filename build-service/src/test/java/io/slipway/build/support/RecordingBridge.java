package io.slipway.build.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for runtime-bridge in build-service's tests (no runtime runs there): records each
 * deploy as {@code <tenant>/<project>/<app>@<commit>}, with its request, and answers it accepted,
 * as runtime-bridge does before its rollout ends.
 */
public final class RecordingBridge {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The deploys asked for, as {@code <tenant>/<project>/<app>@<commit>}. */
  public final List<String> deploys = new CopyOnWriteArrayList<>();

  /** The deploy requests' bodies, in the order of {@link #deploys}. */
  public final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  private final HttpServer server;

  /**
   * What every request is answered: a revision pending (runtime-bridge's answer before rollout).
   */
  private volatile String answer = "{\"revision\":1,\"status\":\"pending\"}";

  public RecordingBridge() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String[] path = exchange.getRequestURI().getPath().split("/");
          // /api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments
          if (exchange.getRequestMethod().equals("POST") && path.length == 10) {
            JsonNode request = JSON.readTree(body);
            requests.add(request);
            deploys.add(
                path[4] + "/" + path[6] + "/" + path[8] + "@" + request.path("commit").asString());
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(202, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /**
   * Answers from now on that each revision went live, and (as the deployments view) that the app
   * answers at {@code url}.
   */
  public void answerLive(String url) {
    answer = JSON.writeValueAsString(java.util.Map.of("revision", 1, "status", "live", "url", url));
  }

  /** Answers a pending revision again, as at the start. */
  public void answerPending() {
    answer = "{\"revision\":1,\"status\":\"pending\"}";
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The request of the deploy of {@code app} ({@code tenant/project/app}) at {@code commit}. */
  public JsonNode request(String app, String commit) {
    int index = deploys.indexOf(app + "@" + commit);
    return index < 0 ? null : requests.get(index);
  }

  public void stop() {
    server.stop(0);
  }
}
