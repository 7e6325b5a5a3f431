package io.slipway.build.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON-over-HTTP client for tests. */
public final class Json {

  /** A response: its status and its body as JSON (null when empty). */
  public record Response(int status, JsonNode json, String body) {}

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Json() {}

  public static Response get(String token, String url) {
    return send(token, "GET", url, null);
  }

  public static Response post(String token, String url, Object body) {
    return send(token, "POST", url, body);
  }

  public static Response put(String token, String url, Object body) {
    return send(token, "PUT", url, body);
  }

  public static Response send(String token, String method, String url, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? BodyPublishers.noBody()
                    : BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
    try {
      var response = HTTP.send(request.build(), BodyHandlers.ofString());
      String text = response.body();
      return new Response(
          response.statusCode(), text.isBlank() ? null : MAPPER.readTree(text), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
