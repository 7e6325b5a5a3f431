package io.slipway.build.egress;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a build asked its egress proxy for: a tunnel ({@code CONNECT host:port}, for HTTPS) or one
 * plain HTTP request in absolute form ({@code GET http://host/path}), which goes upstream in origin
 * form with {@code Connection: close} and without the proxy's own headers. Anything else is refused
 * by {@link #parse} with a {@link Refused} that says why.
 *
 * @param tunnel whether the client asked for a tunnel
 * @param host the name or address literal asked for (an IPv6 literal without brackets)
 * @param port the port asked for
 * @param upstreamHead what to send the server before the client's own bytes (empty for a tunnel)
 */
record ProxyRequest(boolean tunnel, String host, int port, byte[] upstreamHead) {

  /** The largest request head the proxy reads. */
  static final int MAX_HEAD = 16 * 1024;

  private static final Pattern REQUEST_LINE =
      Pattern.compile("([A-Z]{1,16}) (\\S{1,8000}) HTTP/1\\.[01]");
  private static final Pattern AUTHORITY =
      Pattern.compile("(\\[[0-9a-fA-F:.]{2,45}]|[A-Za-z0-9.-]{1,253})(?::([0-9]{1,5}))?");
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade");

  /** A request the proxy does not serve: the status to answer and why, for the build's log. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String reason) {
      super(reason);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * The request whose head (its lines up to and including the empty line) is {@code head}.
   *
   * @throws Refused when it is not a proxy request the proxy serves
   */
  static ProxyRequest parse(byte[] head) throws Refused {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n", -1);
    Matcher line = REQUEST_LINE.matcher(lines[0]);
    if (!line.matches()) {
      throw new Refused(400, "a request that is not an HTTP proxy request");
    }
    String method = line.group(1);
    String target = line.group(2);
    if (method.equals("CONNECT")) {
      Matcher authority = AUTHORITY.matcher(target);
      if (!authority.matches() || authority.group(2) == null) {
        throw new Refused(400, "CONNECT needs a host and a port, like registry.npmjs.org:443");
      }
      return new ProxyRequest(true, host(authority), port(authority.group(2)), new byte[0]);
    }
    if (!target.regionMatches(true, 0, "http://", 0, 7)) {
      throw new Refused(
          400,
          target.startsWith("/")
              ? "a request for a path, not for a URL: the proxy is not a server"
              : "only http:// URLs go through the proxy in full; HTTPS uses CONNECT");
    }
    String rest = target.substring(7);
    int pathStart = indexOfAny(rest, "/?#");
    String authorityText = pathStart < 0 ? rest : rest.substring(0, pathStart);
    Matcher authority = AUTHORITY.matcher(authorityText);
    if (!authority.matches()) {
      throw new Refused(400, "a URL whose host is not a name or an address");
    }
    String path = pathStart < 0 ? "/" : rest.substring(pathStart);
    if (path.startsWith("?")) {
      path = "/" + path;
    }
    int fragment = path.indexOf('#');
    if (fragment >= 0) {
      path = path.substring(0, fragment);
    }
    StringBuilder upstream = new StringBuilder();
    upstream.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    for (int i = 1; i < lines.length; i++) {
      String header = lines[i];
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new Refused(400, "a request with a malformed header line");
      }
      if (!HOP_BY_HOP.contains(header.substring(0, colon).strip().toLowerCase(Locale.ROOT))) {
        upstream.append(header).append("\r\n");
      }
    }
    upstream.append("Connection: close\r\n\r\n");
    int port = authority.group(2) == null ? 80 : port(authority.group(2));
    return new ProxyRequest(
        false, host(authority), port, upstream.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** {@code host:port}, an IPv6 literal in brackets: as the build's log shows the target. */
  String target() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The end of the head in {@code buffer}'s first {@code length} bytes, or -1. */
  static int headEnd(byte[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      if (buffer[i] == '\n') {
        if (i + 1 < length && buffer[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < length && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  private static String host(Matcher authority) {
    String host = authority.group(1);
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static int port(String digits) throws Refused {
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new Refused(400, "port " + digits + " is not a port");
    }
    return port;
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
