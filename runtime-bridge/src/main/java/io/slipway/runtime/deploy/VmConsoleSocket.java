package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.AuditEvents;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.runtime.vm.VmConsole;
import io.slipway.runtime.vm.VmStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * A console session on a VM's serial console (docs/vms.md, Console), once {@link
 * VmConsoleController} has let the caller in. Binary frames to the client are the console's raw
 * output; text frames to it are notices, one JSON object each ({@code {"notice": "...", "message":
 * "..."}}); what the client sends, in binary or text frames, is typed into the guest when the
 * session may type and dropped otherwise (the client is told once). A session is bounded: {@value
 * #MAX_INPUT_BYTES} bytes a message, {@value #MAX_MESSAGES_PER_SECOND} messages and {@value
 * #MAX_BYTES_PER_SECOND} bytes a second, closed after {@link #IDLE} without input or output and
 * when the client reads its output too slowly to keep up ({@value #MAX_PENDING_BYTES} bytes
 * unsent). What the caller may do is asked again of tenant-service, with the caller's own token,
 * every {@code slipway.runtime.vm.console-access-check} (30 s): a caller removed from the tenant,
 * or no longer a developer in a session that may type, is closed ({@code revoked}, 1008), and a
 * session whose token has expired is closed to be opened again with a fresh one ({@code expired},
 * 1012, as the portal's page does).
 */
@Component
class VmConsoleSocket extends AbstractWebSocketHandler implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(VmConsoleSocket.class);

  /** The request attributes {@link VmConsoleController} hands the session over in. */
  static final String APP = "slipway.vm-console.app";

  static final String MAY_TYPE = "slipway.vm-console.may-type";
  static final String CALLER = "slipway.vm-console.caller";

  /** The audit action of an opened console. Keystrokes are never recorded. */
  static final String OPENED = "app.vm-console-opened";

  /** The most one message may carry: a paste of a few lines, not a file. */
  static final int MAX_INPUT_BYTES = 4096;

  /**
   * Typing and pasting stay far below these; a script pushing data through the console does not.
   */
  static final int MAX_MESSAGES_PER_SECOND = 100;

  static final int MAX_BYTES_PER_SECOND = 16 * 1024;

  /** Output queued for a client that reads too slowly, beyond which its session is closed. */
  static final int MAX_PENDING_BYTES = 1024 * 1024;

  /** A session without input or output this long is closed (a forgotten tab holds nothing). */
  static final Duration IDLE = Duration.ofMinutes(15);

  /** Where a policy-breaking client is told why it was closed (RFC 6455's 1008). */
  private static final int POLICY = CloseStatus.POLICY_VIOLATION.getCode();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final VmLifecycle lifecycle;
  private final AuditEvents audit;
  private final TenantApi tenants;
  private final Map<String, Console> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService idleSweep =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("vm-console-idle").factory());

  VmConsoleSocket(
      VmLifecycle lifecycle,
      AuditEvents audit,
      TenantApi tenants,
      @Value("${slipway.runtime.vm.console-access-check:30s}") Duration accessCheck) {
    this.lifecycle = lifecycle;
    this.audit = audit;
    this.tenants = tenants;
    idleSweep.scheduleWithFixedDelay(this::closeIdle, 30, 30, TimeUnit.SECONDS);
    idleSweep.scheduleWithFixedDelay(
        this::checkAccess, accessCheck.toMillis(), accessCheck.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession socket) throws Exception {
    AppRef ref = (AppRef) socket.getAttributes().get(APP);
    boolean mayType = (Boolean) socket.getAttributes().get(MAY_TYPE);
    Jwt caller = (Jwt) socket.getAttributes().get(CALLER);
    socket.setTextMessageSizeLimit(MAX_INPUT_BYTES);
    socket.setBinaryMessageSizeLimit(MAX_INPUT_BYTES);
    Console console = new Console(socket, mayType, ref, caller);
    if (lifecycle.runtime().status(ref).state() != VmStatus.State.RUNNING) {
      console.notice("stopped", "The VM is stopped: start it to use its console.");
      console.end(CloseStatus.NORMAL);
      return;
    }
    // recorded before the console is reached, as every change is before it runs
    audit.app(caller, ref, OPENED, Map.of("readOnly", !mayType));
    try {
      console.session = lifecycle.runtime().console(ref, console, mayType);
    } catch (UncheckedIOException e) {
      console.notice(
          "unavailable",
          "The VM's console cannot be reached: its QEMU is starting or stopping; try again.");
      console.end(CloseStatus.SERVICE_RESTARTED);
      return;
    }
    open.put(socket.getId(), console);
    console.opened(
        mayType
            ? "Connected to the serial console of VM " + ref.app() + "."
            : "Connected to the serial console of VM "
                + ref.app()
                + ", read-only: typing needs the developer role.");
  }

  @Override
  public void destroy() {
    idleSweep.shutdownNow();
  }

  @Override
  protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
    typed(socket, message.getPayload().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
    ByteBuffer payload = message.getPayload();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    typed(socket, bytes);
  }

  @Override
  public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
    Console console = open.remove(socket.getId());
    if (console != null) {
      console.detach();
    }
  }

  @Override
  public void handleTransportError(WebSocketSession socket, Throwable exception) {
    log.debug("VM console session {} failed: {}", socket.getId(), exception.toString());
  }

  private void typed(WebSocketSession socket, byte[] bytes) {
    Console console = open.get(socket.getId());
    if (console == null) {
      return;
    }
    console.lastActive = Instant.now();
    if (bytes.length > MAX_INPUT_BYTES) {
      console.end(
          new CloseStatus(
              CloseStatus.TOO_BIG_TO_PROCESS.getCode(),
              "a console message carries at most " + MAX_INPUT_BYTES + " bytes"));
      return;
    }
    if (!console.withinRate(bytes.length, Instant.now())) {
      console.end(
          new CloseStatus(
              POLICY,
              "more than "
                  + MAX_MESSAGES_PER_SECOND
                  + " messages or "
                  + MAX_BYTES_PER_SECOND
                  + " bytes a second: the console takes typing, not bulk data"));
      return;
    }
    if (!console.session.type(bytes) && !console.mayType && !console.toldReadOnly) {
      console.toldReadOnly = true;
      console.notice(
          "read-only", "This console is read-only for you: typing needs the developer role.");
    }
  }

  /**
   * Asks tenant-service again, with each session's own token, whether its caller may still see the
   * VM (and type, in a session that may): the roles a session opened with are not kept past a
   * removal or a demotion. An unanswered question (tenant-service unreachable) is asked again at
   * the next check.
   */
  private void checkAccess() {
    for (Console console : open.values()) {
      Instant expires = console.caller.getExpiresAt();
      if (expires != null && expires.isBefore(Instant.now())) {
        console.notice(
            "expired", "The sign-in this console was opened with has expired: open it again.");
        console.end(CloseStatus.SERVICE_RESTARTED);
        continue;
      }
      try {
        tenants.requireAccess(
            console.ref.tenant(),
            console.ref.project(),
            console.ref.app(),
            console.caller.getTokenValue(),
            console.mayType);
      } catch (Problem refused) {
        int status = refused.status().value();
        if (status == 401 || status == 403 || status == 404) {
          console.notice(
              "revoked", "Your access to this VM's console has changed: the session is closed.");
          console.end(new CloseStatus(POLICY, "access changed"));
        } else {
          log.debug("Could not check a VM console's access: {}", refused.getMessage());
        }
      } catch (RuntimeException e) {
        log.debug("Could not check a VM console's access: {}", e.toString());
      }
    }
  }

  private void closeIdle() {
    Instant before = Instant.now().minus(IDLE);
    open.values().stream()
        .filter(console -> console.lastActive.isBefore(before))
        .forEach(
            console -> {
              console.notice("idle", "Closed after " + IDLE.toMinutes() + " minutes idle.");
              console.end(new CloseStatus(CloseStatus.GOING_AWAY.getCode(), "idle"));
            });
  }

  /**
   * One client's session: output is queued and sent by a thread of its own, so that a slow client
   * never holds up the console's other sessions.
   */
  private final class Console implements VmConsole.Listener {

    private final WebSocketSession socket;
    private final boolean mayType;
    private final AppRef ref;
    private final Jwt caller;
    private final BlockingQueue<WebSocketMessage<?>> outgoing = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private volatile VmConsole.Session session;
    private volatile Instant lastActive = Instant.now();
    private volatile boolean toldReadOnly;
    private volatile boolean closing;
    private final List<byte[]> held = new ArrayList<>();
    private boolean started;
    private long windowStart;
    private int windowMessages;
    private long windowBytes;

    Console(WebSocketSession socket, boolean mayType, AppRef ref, Jwt caller) {
      this.socket = socket;
      this.mayType = mayType;
      this.ref = ref;
      this.caller = caller;
      Thread.ofVirtual().name("vm-console-send").start(this::send);
    }

    /**
     * Says the session is open, then lets the output through: what attaching sent at once (the
     * screen so far) comes after the notice.
     */
    synchronized void opened(String message) {
      notice("opened", message);
      held.forEach(this::queue);
      held.clear();
      started = true;
    }

    @Override
    public synchronized void output(byte[] bytes) {
      lastActive = Instant.now();
      if (!started) {
        held.add(bytes);
        return;
      }
      queue(bytes);
    }

    private void queue(byte[] bytes) {
      if (closing) {
        return;
      }
      if (pending.addAndGet(bytes.length) > MAX_PENDING_BYTES) {
        closing = true;
        // what is queued is dropped: the client is behind by a megabyte already
        outgoing.clear();
        end(new CloseStatus(POLICY, "the client reads the console's output too slowly"));
        return;
      }
      outgoing.add(new BinaryMessage(bytes));
    }

    @Override
    public void ended() {
      notice("stopped", "The VM stopped: its console is closed.");
      end(CloseStatus.NORMAL);
    }

    void notice(String notice, String message) {
      outgoing.add(
          new TextMessage(JSON.writeValueAsString(Map.of("notice", notice, "message", message))));
    }

    /** Closes the session once what is queued before it has been sent. */
    void end(CloseStatus status) {
      outgoing.add(new Close(status));
    }

    void detach() {
      if (session != null) {
        session.close();
      }
      outgoing.add(new Close(CloseStatus.NORMAL));
    }

    synchronized boolean withinRate(int bytes, Instant now) {
      long second = now.getEpochSecond();
      if (second != windowStart) {
        windowStart = second;
        windowMessages = 0;
        windowBytes = 0;
      }
      windowMessages++;
      windowBytes += bytes;
      return windowMessages <= MAX_MESSAGES_PER_SECOND && windowBytes <= MAX_BYTES_PER_SECOND;
    }

    private void send() {
      try {
        while (true) {
          WebSocketMessage<?> message = outgoing.take();
          if (message instanceof Close close) {
            if (socket.isOpen()) {
              socket.close(close.status());
            }
            return;
          }
          if (message instanceof BinaryMessage) {
            pending.addAndGet(-message.getPayloadLength());
          }
          if (socket.isOpen()) {
            socket.sendMessage(message);
          }
        }
      } catch (IOException | IllegalStateException e) {
        // the client is gone: closing below ends its session
        closeQuietly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeQuietly();
      }
    }

    private void closeQuietly() {
      try {
        socket.close(CloseStatus.SERVER_ERROR);
      } catch (IOException e) {
        // nothing more to do: it is closed either way
      }
    }
  }

  /** Queued behind the output: the session closes once what came before it was sent. */
  private record Close(CloseStatus status) implements WebSocketMessage<CloseStatus> {

    @Override
    public CloseStatus getPayload() {
      return status;
    }

    @Override
    public int getPayloadLength() {
      return 0;
    }

    @Override
    public boolean isLast() {
      return true;
    }
  }
}
