package io.slipway.build.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Posts one request to a forge at the address {@link ForgeUrl} checked, with HTTP/1.1 written out
 * here: an HTTP client would resolve the host again (DNS rebinding) and could follow redirects. TLS
 * verifies the certificate against the URL's host (SNI and endpoint identification). Connect within
 * {@link #CONNECT}, everything within {@link #TOTAL}; only the status line is read (at most {@value
 * #MAX_HEAD} bytes), never the body.
 */
final class ForgeConnection {

  static final Duration CONNECT = Duration.ofSeconds(3);
  static final Duration TOTAL = Duration.ofSeconds(10);
  static final int MAX_HEAD = 4096;

  private ForgeConnection() {}

  /**
   * The forge's answer's status code.
   *
   * @throws IOException when it could not be reached or answered no status line in time
   */
  static int post(Forge.Request request, InetAddress address) throws IOException {
    URI uri = request.uri();
    String host = ForgeUrl.host(uri);
    int port = ForgeUrl.port(uri);
    long deadline = System.nanoTime() + TOTAL.toNanos();
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(address, port), (int) CONNECT.toMillis());
      Socket socket = raw;
      if (uri.getScheme().equals("https")) {
        SSLSocket tls =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(raw, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(remaining(deadline));
        tls.startHandshake();
        socket = tls;
      }
      OutputStream out = socket.getOutputStream();
      out.write(head(request, uri, port).getBytes(StandardCharsets.UTF_8));
      out.write(request.body());
      out.flush();
      return status(socket, deadline);
    }
  }

  private static String head(Forge.Request request, URI uri, int port) {
    boolean defaultPort = uri.getPort() == -1;
    StringBuilder head =
        new StringBuilder("POST ")
            .append(uri.getRawPath())
            .append(" HTTP/1.1\r\nHost: ")
            .append(uri.getHost())
            .append(defaultPort ? "" : ":" + port)
            .append("\r\nUser-Agent: slipway-build-service\r\nConnection: close\r\n")
            .append("Content-Length: ")
            .append(request.body().length)
            .append("\r\n");
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  /** The code of the status line, read within the deadline and {@value #MAX_HEAD} bytes. */
  private static int status(Socket socket, long deadline) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (line.size() < MAX_HEAD) {
      socket.setSoTimeout(remaining(deadline));
      int b = in.read();
      if (b < 0 || b == '\n') {
        break;
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1).strip();
    String[] parts = text.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[1-5][0-9]{2}")) {
      throw new IOException("the forge answered no HTTP status line");
    }
    return Integer.parseInt(parts[1]);
  }

  private static int remaining(long deadline) throws SocketTimeoutException {
    long millis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    if (millis <= 0) {
      throw new SocketTimeoutException("no answer within " + TOTAL.toSeconds() + " s");
    }
    return (int) millis;
  }
}
