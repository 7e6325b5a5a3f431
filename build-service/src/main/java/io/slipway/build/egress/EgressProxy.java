package io.slipway.build.egress;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One tenant's egress proxy: a forward proxy on a unix socket that the tenant's build sandboxes
 * reach through a relay on their own loopback (config/builder/slipway-build). It serves {@code
 * CONNECT} tunnels and plain HTTP requests in absolute form, resolves the name itself, refuses the
 * connection if any address the name resolves to is refused by the {@link EgressPolicy}, and then
 * connects to the exact address it checked, so a name cannot resolve to another address in between.
 * Every refusal is one line in the build's log. One virtual thread per connection.
 */
final class EgressProxy implements Closeable {

  /** Resolves a name to all its addresses; {@code InetAddress::getAllByName} outside tests. */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A request head must arrive within this, or the connection is closed. */
  static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);

  private final Path socket;
  private final Function<InetAddress, Optional<String>> policy;
  private final EgressProperties properties;
  private final BooleanSupplier enabled;
  private final String howToEnable;
  private final Consumer<String> log;
  private final Resolver resolver;
  private final Semaphore connections;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
  private ServerSocketChannel server;

  /**
   * @param policy why a build may not connect to an address (an {@link EgressPolicy}'s refusal)
   * @param enabled whether the tenant's build egress is on, asked at each connection
   * @param howToEnable what the log says a tenant can do when it is off
   * @param log where refusals go (the log of each build the tenant has running)
   */
  EgressProxy(
      Path socket,
      Function<InetAddress, Optional<String>> policy,
      EgressProperties properties,
      BooleanSupplier enabled,
      String howToEnable,
      Consumer<String> log,
      Resolver resolver) {
    this.socket = socket;
    this.policy = policy;
    this.properties = properties;
    this.enabled = enabled;
    this.howToEnable = howToEnable;
    this.log = log;
    this.resolver = resolver;
    this.connections = new Semaphore(properties.maxConnections());
  }

  /**
   * Listens on the socket (replacing a stale one) that only {@code ownerUid} may connect to (the
   * tenant's sandbox root); -1 leaves it to this process's user.
   */
  void start(long ownerUid) throws IOException {
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    if (ownerUid >= 0) {
      Files.setAttribute(socket, "unix:uid", (int) ownerUid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(socket, "unix:gid", (int) ownerUid, LinkOption.NOFOLLOW_LINKS);
    }
    Thread.ofVirtual().name("egress-" + socket.getParent().getFileName()).start(this::accept);
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    if (server != null) {
      server.close();
    }
    Files.deleteIfExists(socket);
  }

  private void serve(SocketChannel client) {
    try (client) {
      ScheduledFuture<?> slow =
          timer.schedule(() -> quietly(client), HEAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Head head = readHead(client);
      slow.cancel(false);
      if (head == null) {
        return;
      }
      if (!enabled.getAsBoolean()) {
        refuse(client, 403, "build egress is off for this tenant; " + howToEnable);
        return;
      }
      ProxyRequest request;
      try {
        request = ProxyRequest.parse(head.bytes());
      } catch (ProxyRequest.Refused e) {
        refuse(client, e.status(), e.getMessage());
        return;
      }
      relay(client, request, head.rest());
    } catch (IOException e) {
      // the build closed its side, or the server its own
    }
  }

  private void relay(SocketChannel client, ProxyRequest request, byte[] early) throws IOException {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(request.host());
    } catch (UnknownHostException e) {
      answer(client, 502, "egress: " + request.host() + " has no address");
      log.accept("egress: " + request.host() + " has no address (name not found)");
      return;
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.apply(address);
      if (refusal.isPresent()) {
        String shown =
            request.host().matches("[0-9.]+|.*:.*")
                ? request.target()
                : request.target() + " (" + address.getHostAddress() + ")";
        refuse(client, 403, shown + " " + refusal.get());
        return;
      }
    }
    // the address first: a refusal names what the build asked for, whatever the port
    if (!properties.ports().contains(request.port())) {
      refuse(
          client,
          403,
          request.target()
              + " is not on an allowed port ("
              + properties.ports().stream().map(String::valueOf).collect(Collectors.joining(", "))
              + ")");
      return;
    }
    if (!connections.tryAcquire()) {
      refuse(
          client,
          503,
          "more than "
              + properties.maxConnections()
              + " connections at once from this tenant's builds");
      return;
    }
    try {
      tunnel(client, request, addresses, early);
    } finally {
      connections.release();
    }
  }

  private void tunnel(
      SocketChannel client, ProxyRequest request, InetAddress[] addresses, byte[] early)
      throws IOException {
    try (Socket upstream = connect(addresses, request.port())) {
      if (upstream == null) {
        answer(client, 502, "egress: could not connect to " + request.target());
        log.accept("egress: could not connect to " + request.target());
        return;
      }
      OutputStream toClient = Channels.newOutputStream(client);
      OutputStream toServer = upstream.getOutputStream();
      if (request.tunnel()) {
        toClient.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        toServer.write(request.upstreamHead());
      }
      toServer.write(early);
      toServer.flush();
      pipe(client, upstream);
    }
  }

  /** The first of the checked addresses that accepts, or null. */
  private Socket connect(InetAddress[] addresses, int port) {
    for (InetAddress address : addresses) {
      Socket socket = new Socket();
      try {
        socket.connect(
            new InetSocketAddress(address, port), (int) properties.connectTimeout().toMillis());
        socket.setSoTimeout((int) Math.min(properties.idleTimeout().toMillis(), 5_000));
        return socket;
      } catch (IOException e) {
        quietly(socket);
      }
    }
    return null;
  }

  /**
   * Copies both ways until either side ends or nothing has passed for the idle timeout; the
   * client's end of input is passed on as a half-close (TLS and HTTP both need it).
   */
  private void pipe(SocketChannel client, Socket upstream) throws IOException {
    AtomicLong active = new AtomicLong(System.nanoTime());
    Thread up =
        Thread.ofVirtual()
            .start(
                () -> {
                  // not closed here: closing the stream would close the client's channel, whose
                  // other half still carries the answer
                  InputStream in = Channels.newInputStream(client);
                  try {
                    OutputStream out = upstream.getOutputStream();
                    byte[] buffer = new byte[16 * 1024];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                      out.write(buffer, 0, n);
                      active.set(System.nanoTime());
                    }
                    upstream.shutdownOutput();
                  } catch (IOException e) {
                    quietly(upstream);
                  }
                });
    try {
      InputStream in = upstream.getInputStream();
      OutputStream out = Channels.newOutputStream(client);
      byte[] buffer = new byte[16 * 1024];
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          if (System.nanoTime() - active.get() > properties.idleTimeout().toNanos()) {
            return;
          }
          continue;
        }
        if (n < 0) {
          return;
        }
        out.write(buffer, 0, n);
        active.set(System.nanoTime());
      }
    } finally {
      quietly(upstream);
      quietly(client);
      up.interrupt();
    }
  }

  private record Head(byte[] bytes, byte[] rest) {}

  /** The request's head and any bytes after it; null when the client sent none or too many. */
  private Head readHead(SocketChannel client) throws IOException {
    byte[] buffer = new byte[ProxyRequest.MAX_HEAD];
    int length = 0;
    while (length < buffer.length) {
      int n = client.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
      if (n < 0) {
        return null;
      }
      length += n;
      int end = ProxyRequest.headEnd(buffer, length);
      if (end >= 0) {
        return new Head(Arrays.copyOf(buffer, end), Arrays.copyOfRange(buffer, end, length));
      }
    }
    refuse(client, 431, "a request whose head is longer than " + ProxyRequest.MAX_HEAD + " bytes");
    return null;
  }

  /** Answers the build with a refusal and writes it as one line to its log. */
  private void refuse(SocketChannel client, int status, String reason) throws IOException {
    String line = "egress refused: " + printable(reason);
    log.accept(line);
    answer(client, status, line);
  }

  private static void answer(SocketChannel client, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + switch (status) {
              case 403 -> "Forbidden";
              case 431 -> "Request Header Fields Too Large";
              case 502 -> "Bad Gateway";
              case 503 -> "Service Unavailable";
              default -> "Bad Request";
            }
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    OutputStream out = Channels.newOutputStream(client);
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** The tenant's own words, without control characters that could forge other log lines. */
  private static String printable(String text) {
    String shown =
        text.codePoints()
            .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return shown.length() > 300 ? shown.substring(0, 300) + "…" : shown;
  }

  private static void quietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
