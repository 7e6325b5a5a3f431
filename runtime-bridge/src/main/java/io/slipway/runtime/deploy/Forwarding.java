package io.slipway.runtime.deploy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Proxies one held request to an instance as HTTP/1.0 with a {@code Content-Length}, so the answer
 * ends where the connection does and is never chunked; the request's headers go as they came (the
 * {@code Host} too, which the JDK's HTTP client would not send), except hop-by-hop ones and the
 * activator's own.
 */
final class Forwarding {

  /** Hop-by-hop headers (RFC 9110 7.6.1) and framing, which this hop sets itself. */
  static final Set<String> HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "expect");

  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int READ_TIMEOUT_MS = 300_000;
  private static final int MAX_HEAD = 64 * 1024;

  private Forwarding() {}

  /** Sends the request to {@code upstream} ({@code ip:port}) and its answer back. */
  static void forward(HttpExchange exchange, byte[] body, String upstream) throws IOException {
    int colon = upstream.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              upstream.substring(0, colon), Integer.parseInt(upstream.substring(colon + 1))),
          CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(head(exchange, body.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String[] lines = readHead(in).split("\r\n");
      String[] status = lines[0].split(" ", 3);
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP answer from " + upstream);
      }
      int code = Integer.parseInt(status[1]);
      Headers headers = exchange.getResponseHeaders();
      long length = -2;
      for (int i = 1; i < lines.length; i++) {
        int sep = lines[i].indexOf(':');
        if (sep <= 0) {
          continue;
        }
        String name = lines[i].substring(0, sep).strip();
        String value = lines[i].substring(sep + 1).strip();
        if (name.equalsIgnoreCase("content-length")) {
          length = Long.parseLong(value);
        } else if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
          headers.add(name, value);
        }
      }
      boolean bodiless =
          "HEAD".equals(exchange.getRequestMethod()) || code == 204 || code == 304 || length == 0;
      // -1: no body; 0: chunked to the router, until the instance closes
      exchange.sendResponseHeaders(code, bodiless ? -1 : Math.max(length, 0));
      if (!bodiless) {
        try (OutputStream response = exchange.getResponseBody()) {
          if (length > 0) {
            in.transferTo(new Limited(response, length));
          } else {
            in.transferTo(response);
          }
        }
      }
    }
  }

  /** The request line and headers as sent on. */
  static String head(HttpExchange exchange, int bodyLength) {
    String target = exchange.getRequestURI().getRawPath();
    if (exchange.getRequestURI().getRawQuery() != null) {
      target += "?" + exchange.getRequestURI().getRawQuery();
    }
    StringBuilder head = new StringBuilder();
    head.append(exchange.getRequestMethod()).append(' ').append(target).append(" HTTP/1.0\r\n");
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      String name = header.getKey();
      if (HOP.contains(name.toLowerCase(Locale.ROOT))
          || name.equalsIgnoreCase(ActivatorEndpoint.HEADER)) {
        continue;
      }
      for (String value : header.getValue()) {
        head.append(name).append(": ").append(value).append("\r\n");
      }
    }
    if (bodyLength > 0 || !List.of("GET", "HEAD").contains(exchange.getRequestMethod())) {
      head.append("Content-Length: ").append(bodyLength).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString();
  }

  /** The status line and headers, up to the empty line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the instance closed the connection before answering");
      }
      head.write(b);
      if (head.size() > MAX_HEAD) {
        throw new IOException("the instance's answer has headers over 64 KiB");
      }
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  /** Passes on at most {@code limit} bytes, as many as the answer declared. */
  private static final class Limited extends OutputStream {
    private final OutputStream out;
    private long left;

    Limited(OutputStream out, long limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      if (left > 0) {
        out.write(b);
        left--;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, left);
      if (n > 0) {
        out.write(b, off, n);
        left -= n;
      }
    }
  }
}
