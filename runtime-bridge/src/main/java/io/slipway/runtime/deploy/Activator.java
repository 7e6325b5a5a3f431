package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpExchange;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * The activator: the router sends it every request for an app at zero. It holds each request while
 * the app wakes (one wake for all of them, {@link ScaleToZero#wake}), then proxies it to one of the
 * woken instances and passes the answer back, so the first requests are served, not dropped or
 * redirected. A request whose header the bridge did not make (forged, or none) is the router's 404
 * and wakes nothing; an app that does not come up within {@code wake-timeout} is 503 with {@code
 * Retry-After} (the wake goes on). By then the router sends new requests to the instances directly.
 */
@Component
class Activator {

  /** The body a held request may carry; the activator reads it whole before the app is woken. */
  static final int MAX_BODY = 16 * 1024 * 1024;

  private final ActivatorEndpoint endpoint;
  private final ScaleToZero zero;
  private final Rollout rollout;
  private final Duration wakeTimeout;

  Activator(
      ActivatorEndpoint endpoint,
      ScaleToZero zero,
      Rollout rollout,
      ScaleToZeroProperties properties) {
    this.endpoint = endpoint;
    this.zero = zero;
    this.rollout = rollout;
    this.wakeTimeout = properties.wakeTimeout();
    endpoint.handle(this::serve);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<String> appId =
          endpoint.verify(exchange.getRequestHeaders().getFirst(ActivatorEndpoint.HEADER));
      if (appId.isEmpty()) {
        plain(exchange, 404, "No app is served at this address.\n", false);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        plain(exchange, 413, "The request body is too large for an app that is waking.\n", false);
        return;
      }
      Optional<AppSpec> woken = awaitWake(appId.get());
      List<String> upstreams = woken.map(rollout::upstreams).orElse(List.of());
      if (upstreams.isEmpty()) {
        plain(exchange, 503, "This app is starting. Try again in a few seconds.\n", true);
        return;
      }
      String upstream = upstreams.get(ThreadLocalRandom.current().nextInt(upstreams.size()));
      try {
        Forwarding.forward(exchange, body, upstream);
      } catch (IOException e) {
        if (exchange.getResponseCode() == -1) {
          plain(exchange, 503, "This app is starting. Try again in a few seconds.\n", true);
        }
      }
    }
  }

  private Optional<AppSpec> awaitWake(String appId) {
    try {
      return zero.wake(appId).get(wakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void plain(HttpExchange exchange, int status, String text, boolean retry)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (retry) {
      exchange.getResponseHeaders().set("Retry-After", "5");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
