package io.slipway.tenant.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the service under test: real requests over a real socket. */
public final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  public Api(int port) {
    this.base = "http://localhost:" + port;
  }

  /** A response: status, parsed JSON body (or null) and the raw text. */
  public record Response(int status, JsonNode json, String text, HttpResponse<String> raw) {
    public String problemType() {
      return json == null ? null : json.path("type").asString();
    }
  }

  public Response get(String token, String path) {
    return send(token, "GET", path, null);
  }

  public Response post(String token, String path, Object body) {
    return send(token, "POST", path, body);
  }

  public Response put(String token, String path, Object body) {
    return send(token, "PUT", path, body);
  }

  public Response patch(String token, String path, Object body) {
    return send(token, "PATCH", path, body);
  }

  public Response delete(String token, String path) {
    return send(token, "DELETE", path, null);
  }

  /** Sends {@code body} as JSON: a String is sent as it is, anything else is serialized. */
  public Response send(String token, String method, String path, Object body) {
    return send(token, method, path, body, Map.of());
  }

  /** As {@link #send(String, String, String, Object)}, with extra request headers. */
  public Response send(
      String token, String method, String path, Object body, Map<String, String> headers) {
    String text =
        body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, text == null ? BodyPublishers.noBody() : BodyPublishers.ofString(text))
            .header("Accept", "application/json, application/problem+json");
    if (text != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = client.send(request.build(), BodyHandlers.ofString());
      String bodyText = response.body();
      JsonNode json =
          bodyText == null || bodyText.isBlank() || !bodyText.strip().startsWith("{")
              ? null
              : JSON.readTree(bodyText);
      return new Response(response.statusCode(), json, bodyText, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
