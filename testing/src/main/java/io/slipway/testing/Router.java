package io.slipway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Requests to the apps' router by host name, as a browser resolving {@code *.apps.localhost} would
 * send them: one plain HTTP/1.1 request per connection to Caddy's listener.
 */
public final class Router {

  /** What came back: the status code (0 when the connection failed) and the body. */
  public record Answer(int status, String body) {}

  private final int port;

  public Router(int port) {
    this.port = port;
  }

  public Answer get(String host) {
    return get(host, "/");
  }

  /** A GET of {@code path} (with its query). */
  public Answer get(String host, String path) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int lineEnd = response.indexOf("\r\n");
      if (!response.startsWith("HTTP/1.1 ") || lineEnd < 12) {
        return new Answer(0, response);
      }
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    } catch (IOException e) {
      return new Answer(0, e.toString());
    }
  }
}
