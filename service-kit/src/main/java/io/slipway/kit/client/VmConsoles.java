package io.slipway.kit.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * runtime-bridge's VM console WebSocket ({@code .../apps/{app}/vm/console}, docs/vms.md) as the
 * other services open it: the one client of it, beside the declarative clients, which cannot speak
 * WebSocket. Binary frames are the console's bytes both ways; text frames from runtime-bridge are
 * notices.
 */
public final class VmConsoles {

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param runtimeApiUrl runtime-bridge's API base ({@code http://...}); its WebSocket is the same
   *     address under {@code ws://}
   * @param timeout how long connecting and the upgrade may take
   */
  public VmConsoles(URI runtimeApiUrl, Duration timeout) {
    String api = runtimeApiUrl.toString().replaceAll("/+$", "");
    this.base = URI.create(api.replaceFirst("^http", "ws"));
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** runtime-bridge refused the upgrade with {@code status} (404: no VM the caller can see). */
  public static final class Refused extends RuntimeException {

    private final int status;

    Refused(int status) {
      super("runtime-bridge refused the VM console with HTTP " + status);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Opens the console of app {@code tenant/project/app} as the caller of {@code authorization} (an
   * {@code Authorization} header value); {@code listener} hears runtime-bridge's frames.
   *
   * @throws Refused when runtime-bridge refuses the upgrade
   * @throws IllegalStateException when runtime-bridge cannot be reached in time
   */
  public WebSocket open(
      String tenant, String project, String app, String authorization, WebSocket.Listener listener)
      throws InterruptedException {
    URI uri =
        base.resolve(
            "/api/v1/tenants/" + tenant + "/projects/" + project + "/apps/" + app + "/vm/console");
    try {
      return http.newWebSocketBuilder()
          .header("Authorization", authorization)
          .connectTimeout(timeout)
          .buildAsync(uri, listener)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        throw new Refused(refused.getResponse().statusCode());
      }
      throw new IllegalStateException(
          "runtime-bridge's VM console could not be reached: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "runtime-bridge's VM console did not answer within " + timeout.toSeconds() + " s", e);
    }
  }
}
