package io.slipway.runtime.deploy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One {@code POST /run} to a function's runtime, as HTTP/1.0 on a connection of its own that ends
 * with the answer (as {@link Forwarding} speaks to instances): no connection is kept or reused, so
 * a runtime that closes after each answer is never sent the next invocation on a dead connection.
 * The whole exchange is bounded in time and size; the runtime is the tenant's code.
 */
final class FunctionRun {

  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int MAX_HEAD = 16 * 1024;

  private FunctionRun() {}

  /** The runtime's status and body. */
  record Answer(int status, byte[] body) {}

  /** The runtime did not answer within the time given. */
  static final class TimedOut extends IOException {
    private static final long serialVersionUID = 1L;

    TimedOut() {
      super("no answer in time");
    }
  }

  /** The answer's body is over {@code maxBody} bytes. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("its answer is too large");
    }
  }

  /**
   * Posts {@code json} to {@code address}'s {@code /run} and reads the answer, all within {@code
   * within}.
   *
   * @throws TimedOut when the answer has not come in whole by then
   * @throws TooLarge when the body is over {@code maxBody}
   * @throws IOException when the runtime cannot be reached or does not speak HTTP
   */
  static Answer post(String address, byte[] json, Duration within, int maxBody) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    int colon = address.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          CONNECT_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /run HTTP/1.0\r\nHost: "
                  + address
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + json.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String head = new String(readHead(socket, in, deadline), StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      String[] status = lines[0].split(" ", 3);
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IOException("it did not answer HTTP");
      }
      long length = -1;
      for (int i = 1; i < lines.length; i++) {
        int sep = lines[i].indexOf(':');
        if (sep > 0
            && lines[i]
                .substring(0, sep)
                .strip()
                .toLowerCase(Locale.ROOT)
                .equals("content-length")) {
          length = Long.parseLong(lines[i].substring(sep + 1).strip());
        }
      }
      if (length > maxBody) {
        throw new TooLarge();
      }
      return new Answer(
          Integer.parseInt(status[1]), readBody(socket, in, deadline, length, maxBody));
    } catch (NumberFormatException e) {
      throw new IOException("it did not answer HTTP");
    }
  }

  private static byte[] readHead(Socket socket, InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = read(socket, in, deadline);
      if (b < 0) {
        throw new IOException("it closed the connection before answering");
      }
      head.write(b);
      if (head.size() > MAX_HEAD) {
        throw new IOException("its answer has headers over 16 KiB");
      }
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    byte[] bytes = head.toByteArray();
    return java.util.Arrays.copyOf(bytes, bytes.length - 4);
  }

  /** The body: {@code length} bytes when given, else up to the end of the connection. */
  private static byte[] readBody(
      Socket socket, InputStream in, long deadline, long length, int maxBody) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    while (length < 0 || body.size() < length) {
      setTimeout(socket, deadline);
      int n;
      try {
        n =
            in.read(
                chunk,
                0,
                (int) Math.min(chunk.length, length < 0 ? chunk.length : length - body.size()));
      } catch (SocketTimeoutException e) {
        throw new TimedOut();
      }
      if (n < 0) {
        if (length >= 0) {
          throw new IOException("it closed the connection before its whole answer");
        }
        break;
      }
      body.write(chunk, 0, n);
      if (body.size() > maxBody) {
        throw new TooLarge();
      }
    }
    return body.toByteArray();
  }

  private static int read(Socket socket, InputStream in, long deadline) throws IOException {
    setTimeout(socket, deadline);
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw new TimedOut();
    }
  }

  private static void setTimeout(Socket socket, long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new TimedOut();
    }
    socket.setSoTimeout((int) Math.max(1, left));
  }
}
