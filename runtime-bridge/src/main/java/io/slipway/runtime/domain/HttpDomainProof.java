package io.slipway.runtime.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP proof: {@code http://<domain>/.well-known/slipway-domain/<token>} answers the token. The
 * router serves that path for every pending claim, so the check passes once the domain's DNS points
 * at the platform. The name is resolved here and the connection goes to the address that was
 * checked (no second lookup to rebind); link-local and internal addresses other than the router's
 * are refused; one plain HTTP/1.1 request with short timeouts, no redirect followed, and at most
 * {@link #MAX_ANSWER} bytes read.
 */
public final class HttpDomainProof implements DomainProof {

  /** Headers and body together: a token is 43 bytes, an honest answer far below this. */
  static final int MAX_ANSWER = 8 * 1024;

  private final NameResolver resolver;
  private final AddressRules rules;
  private final int port;
  private final Duration timeout;

  /**
   * @param resolver how the domain's addresses are found
   * @param routerAddresses the router's own addresses, allowed even when private or loopback
   * @param port where the router answers HTTP on those addresses (80 in production)
   * @param timeout the budget of the whole check: connect, send, read
   */
  public HttpDomainProof(
      NameResolver resolver, Set<InetAddress> routerAddresses, int port, Duration timeout) {
    this.resolver = resolver;
    this.rules = new AddressRules(routerAddresses);
    this.port = port;
    this.timeout = timeout;
  }

  @Override
  public Result check(String domain, String token) {
    Challenge challenge = new Challenge(domain, token);
    String url = challenge.url();
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(domain);
    } catch (UnknownHostException e) {
      return Result.failed(
          "HTTP: " + domain + " has no DNS record (A or AAAA); point it at the platform");
    }
    if (addresses.isEmpty()) {
      return Result.failed(
          "HTTP: " + domain + " has no DNS record (A or AAAA); point it at the platform");
    }
    if (!addresses.stream().allMatch(rules::allowed)) {
      return Result.failed(
          "HTTP: "
              + domain
              + " points at a private, loopback or link-local address, which the platform does"
              + " not fetch from; point it at the platform's public address");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "HTTP: nothing answered at " + url;
    for (InetAddress address : addresses) {
      try {
        return judge(fetch(address, domain, challenge.path(), deadline), token, url);
      } catch (SocketTimeoutException e) {
        return Result.failed("HTTP: " + url + " timed out");
      } catch (ConnectException e) {
        last = "HTTP: nothing answered at " + url;
      } catch (IOException e) {
        last = "HTTP: " + url + " did not give an HTTP answer";
      }
    }
    return Result.failed(last);
  }

  private static Result judge(Answer answer, String token, String url) {
    if (answer == null) {
      return Result.failed("HTTP: the answer at " + url + " is larger than a token");
    }
    if (answer.status() / 100 == 3) {
      return Result.failed(
          "HTTP: "
              + url
              + " answered with a redirect, which the check does not follow; serve it over"
              + " plain HTTP");
    }
    if (answer.status() != 200) {
      return Result.failed(
          "HTTP: " + url + " answered " + answer.status() + " instead of the token");
    }
    if (!answer.body().strip().equals(token)) {
      return Result.failed("HTTP: " + url + " did not answer this domain's token");
    }
    return Result.ok();
  }

  record Answer(int status, String body) {}

  /** One GET with the domain as Host; null when the answer is over the size cap. */
  private Answer fetch(InetAddress address, String host, String path, long deadline)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), remaining(deadline));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nUser-Agent: slipway-domain-check\r\nAccept: text/plain\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      while (true) {
        socket.setSoTimeout(remaining(deadline));
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        read.write(buffer, 0, n);
        if (read.size() > MAX_ANSWER) {
          return null;
        }
        if (complete(read.toString(StandardCharsets.ISO_8859_1))) {
          break; // a server that keeps the connection open despite "close" is not waited for
        }
      }
      return parse(read.toString(StandardCharsets.ISO_8859_1));
    }
  }

  private static int remaining(long deadline) throws SocketTimeoutException {
    long millis = (deadline - System.nanoTime()) / 1_000_000;
    if (millis <= 0) {
      throw new SocketTimeoutException("the check's time is up");
    }
    return (int) Math.min(Integer.MAX_VALUE, millis);
  }

  /** Whether the answer so far has its headers and the whole body its Content-Length names. */
  static boolean complete(String response) {
    int end = response.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String header : response.substring(0, end).split("\r\n")) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase("content-length")) {
        try {
          long length = Long.parseLong(header.substring(colon + 1).strip());
          return response.length() - end - 4 >= length;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }

  static Answer parse(String response) throws IOException {
    int end = response.indexOf("\r\n\r\n");
    if (!response.startsWith("HTTP/1.") || end < 0 || response.length() < 12) {
      throw new IOException("not an HTTP answer");
    }
    int status;
    try {
      status = Integer.parseInt(response.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status");
    }
    String headers = response.substring(0, end).toLowerCase(Locale.ROOT);
    String body = response.substring(end + 4);
    if (headers.contains("\r\ntransfer-encoding: chunked")) {
      body = unchunk(body);
    }
    return new Answer(status, body);
  }

  private static String unchunk(String chunked) throws IOException {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int line = chunked.indexOf("\r\n", at);
      if (line < 0) {
        throw new IOException("a chunk without its size");
      }
      int size;
      try {
        size = Integer.parseInt(chunked.substring(at, line).split(";")[0].strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("a chunk size that is not a number");
      }
      if (size == 0) {
        return body.toString();
      }
      int start = line + 2;
      if (start + size > chunked.length()) {
        throw new IOException("a chunk cut short");
      }
      body.append(chunked, start, start + size);
      at = start + size + 2;
    }
  }
}
