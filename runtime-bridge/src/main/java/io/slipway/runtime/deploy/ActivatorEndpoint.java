package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.slipway.runtime.router.Activation;
import io.slipway.runtime.secret.SecretBox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The activator's listener: an HTTP server of its own (not the API's, which wants a token), bound
 * at start on {@code slipway.runtime.scale-to-zero.activator-listen}, to which the router sends the
 * hosts of apps at zero ({@link #activation}). Each such route carries the app's identity in {@link
 * #HEADER}, which the router sets itself: the app's id and an HMAC of it under the bridge's secret
 * key, so no client can name an app, and no caller without the key (another tenant's app reaching
 * this port, say) can make a value that wakes one. Knows nothing of waking: {@link Activator} hands
 * it the handler.
 */
@Component
class ActivatorEndpoint implements DisposableBean {

  /** The header the router sets on every request it sends here. */
  static final String HEADER = "X-Slipway-Activate";

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final SecretBox box;
  private volatile HttpHandler handler;

  ActivatorEndpoint(ScaleToZeroProperties properties, SecretBox box) {
    this.box = box;
    String listen = properties.activatorListen();
    int colon = listen.lastIndexOf(':');
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(
                  listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
              256);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "slipway.runtime.scale-to-zero.activator-listen (" + listen + ") cannot be bound", e);
    }
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          HttpHandler current = handler;
          if (current == null) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
          }
          current.handle(exchange);
        });
    server.start();
  }

  /** From now on requests go to {@code handler}. */
  void handle(HttpHandler handler) {
    this.handler = handler;
  }

  /** {@code host:port} the router reaches the activator at. */
  String address() {
    InetSocketAddress bound = server.getAddress();
    return bound.getAddress().getHostAddress() + ":" + bound.getPort();
  }

  /** The route target for the app with this id. */
  Activation activation(String appId) {
    return new Activation(address(), HEADER, appId + "." + box.sign("activate:" + appId));
  }

  /** The app id a header value names, when it is one the bridge made; else empty. */
  Optional<String> verify(String value) {
    if (value == null) {
      return Optional.empty();
    }
    int dot = value.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String appId = value.substring(0, dot);
    // a route written before the key was rotated carries a previous key's signature until the
    // bridge writes it again
    return box.verify("activate:" + appId, value.substring(dot + 1))
        ? Optional.of(appId)
        : Optional.empty();
  }

  @Override
  public void destroy() {
    server.stop(0);
    threads.shutdownNow();
  }
}
