package io.slipway.runtime.vm;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One QMP session with a VM's QEMU over its unix socket (QEMU's machine protocol: one JSON object a
 * line). Commands are answered in order; events arrive in between and are kept for {@link
 * #awaitEvent}. Not thread-safe: one caller at a time.
 */
final class Qmp implements Closeable {

  /** The longest path a unix socket address may have on Linux ({@code sun_path}, NUL included). */
  static final int MAX_SOCKET_PATH = 107;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** What the reader hands over when QEMU closed the socket (it exited). */
  private static final JsonNode CLOSED = MissingNode.getInstance();

  private final SocketChannel channel;
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final Duration timeout;

  private Qmp(SocketChannel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
    Thread.ofVirtual().name("qmp-reader").start(this::read);
  }

  /** Connects, reads QEMU's greeting and leaves capabilities negotiation mode. */
  static Qmp connect(Path socket, Duration timeout) {
    if (socket.toString().length() > MAX_SOCKET_PATH) {
      throw new IllegalStateException(
          "QMP socket path " + socket + " is longer than a unix socket address may be");
    }
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to QEMU's QMP socket " + socket, e);
    }
    Qmp qmp = new Qmp(channel, timeout);
    JsonNode greeting = qmp.next();
    if (!greeting.has("QMP")) {
      qmp.close();
      throw new IllegalStateException("QEMU did not greet with QMP on " + socket);
    }
    qmp.execute("qmp_capabilities");
    return qmp;
  }

  /** Runs {@code command} and answers its {@code return}; QEMU's {@code error} is thrown. */
  JsonNode execute(String command) {
    send(Map.of("execute", command));
    while (true) {
      JsonNode message = next();
      if (message.has("return")) {
        return message.path("return");
      }
      if (message.has("error")) {
        throw new IllegalStateException(
            "QEMU refused " + command + ": " + message.path("error").path("desc").asString());
      }
    }
  }

  /**
   * The first event {@code name} (seen before or arriving within {@code wait}); empty when none
   * came, or QEMU closed the socket first.
   */
  Optional<JsonNode> awaitEvent(String name, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (JsonNode event : events) {
        if (name.equals(event.path("event").asString())) {
          return Optional.of(event);
        }
      }
      while (true) {
        long left = deadline - System.nanoTime();
        JsonNode message = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
        if (message == null || message == CLOSED) {
          return Optional.empty();
        }
        if (name.equals(message.path("event").asString())) {
          return Optional.of(message);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private JsonNode next() {
    try {
      while (true) {
        JsonNode message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
          throw new IllegalStateException("QEMU did not answer on QMP within " + timeout);
        }
        if (message == CLOSED) {
          throw new IllegalStateException("QEMU closed its QMP socket");
        }
        if (message.has("event")) {
          events.add(message);
          continue;
        }
        return message;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for QEMU", e);
    }
  }

  private void send(Object message) {
    byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to QEMU's QMP socket", e);
    }
  }

  private void read() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        try {
          received.add(JSON.readTree(line));
        } catch (JacksonException e) {
          // QEMU writes only JSON here; a torn line is dropped rather than ending the session
        }
      }
    } catch (IOException e) {
      // closed by close() or by QEMU exiting: either way the session is over
    } finally {
      received.add(CLOSED);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do: it is gone either way
    }
  }
}
