package io.slipway.portal.app;

import io.slipway.kit.client.VmConsoles;
import io.slipway.portal.PortalProperties;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.util.WebUtils;

/**
 * A VM's serial console in the browser (docs/portal.md): the page's WebSocket ends here, and the
 * portal opens runtime-bridge's console WebSocket as the signed-in user (their access token, which
 * the browser never holds: a browser cannot set headers on a WebSocket anyway), then passes frames
 * both ways unchanged. runtime-bridge is never exposed to browsers and decides everything itself:
 * who may see the VM, who may type, limits and idle time. Only a page of the portal's own origin
 * may open it (the session cookie would otherwise let any site's page in: cross-site WebSocket
 * hijacking).
 */
@Controller
class VmConsoleProxy {

  /** How long opening runtime-bridge's side may take. */
  private static final Duration CONNECT = Duration.ofSeconds(15);

  /** What one frame from the browser may carry; runtime-bridge takes no more either. */
  private static final int MAX_INPUT_BYTES = 4096;

  private final ServiceApis apis;
  private final VmConsoles consoles;
  private final DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();

  VmConsoleProxy(ServiceApis apis, PortalProperties properties) {
    this.apis = apis;
    this.consoles = new VmConsoles(properties.runtimeApiUrl(), CONNECT);
  }

  @GetMapping(AppRef.PATH + "/vm/console")
  void console(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      HttpServletRequest request,
      HttpServletResponse response)
      throws Exception {
    ServletServerHttpRequest browser = new ServletServerHttpRequest(request);
    if (!WebUtils.isSameOrigin(browser)) {
      throw new ServiceProblem(403, "A VM's console opens only from the portal's own pages.");
    }
    Upstream upstream = new Upstream();
    WebSocket socket = connect(tenant, project, app, upstream);
    ServletServerHttpResponse upgrade = new ServletServerHttpResponse(response);
    try {
      if (!handshake.doHandshake(browser, upgrade, new Browser(socket, upstream), Map.of())) {
        socket.abort();
      }
    } catch (RuntimeException e) {
      socket.abort();
      throw e;
    } finally {
      upgrade.flush();
    }
  }

  /** runtime-bridge's console WebSocket, as the user; its refusal as the portal's own. */
  private WebSocket connect(String tenant, String project, String app, Upstream upstream)
      throws InterruptedException {
    try {
      return consoles.open(tenant, project, app, apis.bearer(), upstream);
    } catch (VmConsoles.Refused refused) {
      throw new ServiceProblem(
          refused.status(),
          refused.status() == 404
              ? "App " + tenant + "/" + project + "/" + app + " has no VM you can see."
              : "runtime-bridge refused the console (HTTP " + refused.status() + ").");
    } catch (IllegalStateException unreachable) {
      throw new ServiceProblem(502, unreachable.getMessage() + ".");
    }
  }

  /**
   * runtime-bridge's side. It asks for no frame until the browser's side is up ({@link #attach}),
   * so that what runtime-bridge sends first (a notice, the screen so far) waits in its socket
   * rather than being lost.
   */
  private static final class Upstream implements WebSocket.Listener {

    private final StringBuilder text = new StringBuilder();
    private volatile WebSocketSession browser;

    @Override
    public void onOpen(WebSocket webSocket) {
      // no request(1) yet: attach asks once the browser's side can take frames
    }

    void attach(WebSocketSession session, WebSocket webSocket) {
      browser = session;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      forward(webSocket, new BinaryMessage(bytes));
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (!last) {
        webSocket.request(1);
        return null;
      }
      TextMessage message = new TextMessage(text.toString());
      text.setLength(0);
      forward(webSocket, message);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      // 1005 and 1006 say no status came: they are never sent in a close frame
      close(
          statusCode == 1005 || statusCode == 1006
              ? CloseStatus.NORMAL
              : new CloseStatus(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      close(CloseStatus.SERVER_ERROR.withReason("the connection to runtime-bridge failed"));
    }

    private void forward(WebSocket webSocket, WebSocketMessage<?> message) {
      try {
        if (browser.isOpen()) {
          browser.sendMessage(message);
        }
        webSocket.request(1);
      } catch (IOException | IllegalStateException e) {
        // the browser is gone: its side's close ends runtime-bridge's
        webSocket.abort();
      }
    }

    private void close(CloseStatus status) {
      WebSocketSession session = browser;
      if (session == null || !session.isOpen()) {
        return;
      }
      try {
        session.close(status);
      } catch (IOException e) {
        // closed either way
      }
    }
  }

  /** The browser's side: what it types goes to runtime-bridge as it came. */
  private static final class Browser extends AbstractWebSocketHandler {

    private final WebSocket bridge;
    private final Upstream upstream;

    Browser(WebSocket bridge, Upstream upstream) {
      this.bridge = bridge;
      this.upstream = upstream;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
      session.setTextMessageSizeLimit(MAX_INPUT_BYTES);
      session.setBinaryMessageSizeLimit(MAX_INPUT_BYTES);
      upstream.attach(session, bridge);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
      bridge.sendText(message.getPayload(), true).join();
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
      bridge.sendBinary(message.getPayload(), true).join();
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
      if (bridge.isOutputClosed()) {
        bridge.abort();
        return;
      }
      bridge
          .sendClose(WebSocket.NORMAL_CLOSURE, "")
          .orTimeout(5, TimeUnit.SECONDS)
          .whenComplete((closed, failure) -> bridge.abort());
    }
  }
}
