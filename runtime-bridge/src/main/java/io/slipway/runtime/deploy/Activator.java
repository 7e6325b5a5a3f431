package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpExchange;
import io.slipway.runtime.rollout.Rollout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
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
 * Retry-After} (the wake goes on), and one its quota does not let start, or whose instances do not
 * start or get healthy, is 503 saying so. By then the router sends new requests to the instances
 * directly.
 */
@Component
class Activator {

  /** The body a held request may carry; the activator reads it whole before the app is woken. */
  static final int MAX_BODY = 1024 * 1024;

  /**
   * How many requests this replica holds at once, across all apps: anyone on the internet can send
   * requests to an app at zero, so what they may make the bridge hold (threads, sockets and at most
   * {@link #MAX_BODY} each) is bounded; one more is 503 with {@code Retry-After}.
   */
  static final int MAX_HELD = 100;

  /**
   * The bodies all held requests of this replica may keep in memory together, in KiB (the services
   * run with small heaps): past it, a request is 503 with {@code Retry-After} rather than read.
   */
  static final int HELD_BODIES_KIB = 16 * 1024;

  private final Semaphore held = new Semaphore(MAX_HELD);
  private final HeldBodies bodies = new HeldBodies(HELD_BODIES_KIB);

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
      if (!held.tryAcquire()) {
        plain(exchange, 503, "Too many requests are waiting for apps to wake. Try again.\n", true);
        return;
      }
      try {
        hold(exchange, appId.get());
      } finally {
        held.release();
      }
    }
  }

  /** Reads the request's body within the bounds, then forwards it. */
  private void hold(HttpExchange exchange, String appId) throws IOException {
    try (HeldBodies.Body body = bodies.read(exchange, MAX_BODY)) {
      if (body.refusal() == HeldBodies.Refusal.TOO_LARGE) {
        plain(exchange, 413, "The request body is too large for an app that is waking.\n", false);
      } else if (body.refusal() != null) {
        plain(exchange, 503, "Too many requests are waiting for apps to wake. Try again.\n", true);
      } else {
        forward(exchange, appId, body.bytes());
      }
    }
  }

  /** Waits for the app's wake and passes the request to one of its instances. */
  private void forward(HttpExchange exchange, String appId, byte[] body) throws IOException {
    ScaleToZero.Wake woken = awaitWake(appId);
    if (refused(exchange, woken)) {
      return;
    }
    List<String> upstreams = woken.running().map(rollout::upstreams).orElse(List.of());
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

  /**
   * Answers the 503 of a wake that its quota refused or that failed, and says whether it did; a
   * wake that came up, or an app not at zero here any more, is for the caller to serve (or to tell
   * it is starting). The visitor learns no more than that; the app's developers see why in its
   * events.
   */
  static boolean refused(HttpExchange exchange, ScaleToZero.Wake woken) throws IOException {
    switch (woken.outcome()) {
      case QUOTA_FULL -> {
        plain(
            exchange,
            503,
            "This app is asleep and cannot start now: its project has no compute quota left for"
                + " it.\n",
            false);
        return true;
      }
      case FAILED -> {
        plain(exchange, 503, "This app could not start. Its developers can see why.\n", false);
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** The app's wake, waited for up to {@code wake-timeout}; none when it did not come in time. */
  ScaleToZero.Wake awaitWake(String appId) {
    try {
      return zero.wake(appId).get(wakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return ScaleToZero.Wake.NONE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ScaleToZero.Wake.NONE;
    }
  }

  /** A plain-text answer of the router's kind, with {@code Retry-After} when {@code retry}. */
  static void plain(HttpExchange exchange, int status, String text, boolean retry)
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
