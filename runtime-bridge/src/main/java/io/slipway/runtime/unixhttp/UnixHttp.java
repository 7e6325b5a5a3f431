package io.slipway.runtime.unixhttp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.0 over a unix socket, the way the local daemons runtime-bridge drives (podman, Caddy's
 * admin API) are reached without a TCP port anyone else could connect to. One exchange per
 * connection: the answer is everything up to the end of the stream, so no framing is needed.
 */
public final class UnixHttp {

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("unix-http-timeouts").factory());

  private UnixHttp() {}

  /** A whole answer: its status and body. */
  public record Answer(int status, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Connects to the socket at {@code socket}; fails at once when nothing listens there. */
  public static SocketChannel connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * One exchange on a new connection, read whole within {@code timeout} (the connection is closed
   * when it runs out, and the call fails).
   *
   * @param host the {@code Host} header, or null for none (Caddy's admin API on a socket wants
   *     none)
   */
  public static Answer exchange(
      Path socket, String method, String path, String host, byte[] json, Duration timeout)
      throws IOException {
    return exchange(connect(socket), method, path, host, json, timeout);
  }

  /**
   * One exchange on {@code channel}, a connection made for it and closed when the exchange ends,
   * read whole within {@code timeout}.
   *
   * @throws HttpTimeoutException when the timeout ran out (the connection was closed)
   */
  public static Answer exchange(
      SocketChannel channel, String method, String path, String host, byte[] json, Duration timeout)
      throws IOException {
    // set before the close: the read it interrupts fails before the timer's task has returned
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> guard =
        TIMER.schedule(
            () -> {
              timedOut.set(true);
              closeQuietly(channel);
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try (channel) {
      send(channel, method, path, host, json);
      InputStream in = Channels.newInputStream(channel);
      int status = readHead(in);
      return new Answer(status, in.readAllBytes());
    } catch (IOException e) {
      if (timedOut.get()) {
        HttpTimeoutException late =
            new HttpTimeoutException(method + " " + path + " timed out after " + timeout);
        late.initCause(e);
        throw late;
      }
      throw e;
    } finally {
      guard.cancel(false);
    }
  }

  /**
   * Sends a request on {@code channel} and reads the answer's head; the body is left to be read as
   * it arrives, with no timeout (closing it closes the connection).
   */
  public static Streaming open(SocketChannel channel, String method, String path, String host)
      throws IOException {
    send(channel, method, path, host, null);
    InputStream in = Channels.newInputStream(channel);
    return new Streaming(readHead(in), in);
  }

  /** An answer whose body is read as it arrives. */
  public record Streaming(int status, InputStream body) {}

  /** Writes the request: its line, {@code Host} (when given), and a JSON body (when given). */
  private static void send(
      SocketChannel channel, String method, String path, String host, byte[] json)
      throws IOException {
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.0\r\n");
    if (host != null) {
      head.append("Host: ").append(host).append("\r\n");
    }
    if (json != null) {
      head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(json.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.allocate(headBytes.length + (json == null ? 0 : json.length));
    buffer.put(headBytes);
    if (json != null) {
      buffer.put(json);
    }
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Reads the status line and the headers; returns the status. */
  private static int readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    while (!readLine(in).isEmpty()) {
      // headers: with HTTP/1.0 the body simply ends where the stream does
    }
    return Integer.parseInt(parts[1]);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing is all that is left to do
    }
  }
}
