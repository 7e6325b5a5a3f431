package io.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A service's REST API called as one signed-in user: JSON in, JSON out, bearer token. */
final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status, body, and the body as JSON (a missing node when it is not JSON). */
  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (RuntimeException e) {
        return JSON.missingNode();
      }
    }

    Response expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected " + expected + " but was " + status + ": " + body);
      }
      return this;
    }
  }

  private final String baseUrl;
  private final String token;

  Api(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  Response get(String path) {
    return send(request(path).GET());
  }

  /** A stream of Server-Sent Events that ends by itself (a log stream without follow), whole. */
  Response events(String path) {
    return send(request(path).setHeader("Accept", "text/event-stream").GET());
  }

  Response post(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /**
   * A post that runtime-bridge answers once the rollout it starts has ended ({@code Prefer: wait},
   * RFC 7240), within this client's two-minute timeout; else 202 with the rollout under way.
   */
  Response postAwaitingRollout(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .header("Prefer", "wait=110")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  Response put(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  Response delete(String path) {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
