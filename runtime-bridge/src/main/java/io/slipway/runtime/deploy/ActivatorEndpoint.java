package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.slipway.kit.secret.SecretBox;
import io.slipway.runtime.router.Activation;
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
 * this port, say) can make a value that wakes one. A function app's hosts come here too, always,
 * with a value signed for invoking ({@link #invocation}), which the {@link Invoker} serves. Knows
 * nothing of waking or invoking: {@link Activator} and {@link Invoker} hand it their handlers.
 */
@Component
class ActivatorEndpoint implements DisposableBean {

  /** The header the router sets on every request it sends here. */
  static final String HEADER = "X-Slipway-Activate";

  private static final String ACTIVATE = "activate:";
  private static final String INVOKE = "invoke:";

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final SecretBox box;
  private volatile HttpHandler handler;
  private volatile HttpHandler invoker;

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
          HttpHandler current =
              invoker != null
                      && verifyInvocation(exchange.getRequestHeaders().getFirst(HEADER)).isPresent()
                  ? invoker
                  : handler;
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

  /** From now on requests whose header names a function's invocation go to {@code invoker}. */
  void handleInvocations(HttpHandler invoker) {
    this.invoker = invoker;
  }

  /** {@code host:port} the router reaches the activator at. */
  String address() {
    InetSocketAddress bound = server.getAddress();
    return bound.getAddress().getHostAddress() + ":" + bound.getPort();
  }

  /** The route target for the app with this id. */
  Activation activation(String appId) {
    return new Activation(address(), HEADER, appId + "." + box.sign(ACTIVATE + appId));
  }

  /**
   * The route target of a function app: the invoker, behind the same listener and header, signed
   * for another purpose, so an activator's value never invokes and an invoker's never wakes.
   */
  Activation invocation(String appId) {
    return new Activation(address(), HEADER, appId + "." + box.sign(INVOKE + appId));
  }

  /** The app id a header value names, when it is one the bridge made; else empty. */
  Optional<String> verify(String value) {
    return verify(ACTIVATE, value);
  }

  /** The function app id a header value names, when it is one the bridge made; else empty. */
  Optional<String> verifyInvocation(String value) {
    return verify(INVOKE, value);
  }

  private Optional<String> verify(String purpose, String value) {
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
    return box.verify(purpose + appId, value.substring(dot + 1))
        ? Optional.of(appId)
        : Optional.empty();
  }

  @Override
  public void destroy() {
    server.stop(0);
    threads.shutdownNow();
  }
}
