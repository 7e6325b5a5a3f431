package io.slipway.runtime.rollout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** An HTTP health check: healthy when the path answers 2xx or 3xx within a second. */
public class HealthProbe {

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** Whether {@code http://<address><path>} answers 2xx or 3xx. */
  public boolean healthy(String address, String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + address + path))
              .timeout(Duration.ofSeconds(1))
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The body kept of an answer to a content check: enough for any page's marker. */
  static final int MAX_BODY = 64 * 1024;

  /**
   * Whether {@code http://<address><path>} answers 2xx or 3xx within {@code timeout} with a body
   * whose first {@value #MAX_BODY} bytes contain {@code content} (any body when null): an {@code
   * app.json} health check.
   */
  public boolean answers(String address, String path, String content, Duration timeout) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(timeout).build();
      HttpResponse<java.io.InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream body = response.body()) {
        int status = response.statusCode();
        if (status < 200 || status >= 400) {
          return false;
        }
        return content == null
            || new String(body.readNBytes(MAX_BODY), java.nio.charset.StandardCharsets.UTF_8)
                .contains(content);
      }
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
