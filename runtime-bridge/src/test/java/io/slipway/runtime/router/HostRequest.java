package io.slipway.runtime.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.1 GET to a loopback port with any Host header (the JDK's clients refuse to set
 * Host), as a browser asking for {@code <app>--<project>--<tenant>.apps.<domain>} would send it.
 */
public final class HostRequest {

  private HostRequest() {}

  /** The answer: status and body. */
  public record Answer(int status, String body) {}

  /** The whole answer: status, headers (names lower-cased, the last of each), body. */
  public record Reply(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  public static Answer get(int port, String host, String path) throws IOException {
    Reply reply = get(port, host, path, null);
    return new Answer(reply.status(), reply.body());
  }

  /** A GET with this {@code Accept} header (none when null), as a browser or a script sends it. */
  public static Reply get(int port, String host, String path, String accept) throws IOException {
    return get(port, host, path, accept, Duration.ofSeconds(5));
  }

  /**
   * As {@link #get(int, String, String, String)}, waiting up to {@code patience} for the answer.
   */
  public static Reply get(int port, String host, String path, String accept, Duration patience)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout((int) patience.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + (accept == null ? "" : "\r\nAccept: " + accept)
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** A whole answer read up to the end of its connection: status, headers, body. */
  public static Reply parse(String response) throws IOException {
    int headersEnd = response.indexOf("\r\n\r\n");
    if (!response.startsWith("HTTP/1.") || headersEnd < 0) {
      throw new IOException("not an HTTP answer: " + response);
    }
    int status = Integer.parseInt(response.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    response
        .substring(0, headersEnd)
        .lines()
        .skip(1)
        .filter(line -> line.indexOf(':') > 0)
        .forEach(
            line ->
                headers.put(
                    line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT),
                    line.substring(line.indexOf(':') + 1).strip()));
    return new Reply(status, headers, response.substring(headersEnd + 4));
  }
}
