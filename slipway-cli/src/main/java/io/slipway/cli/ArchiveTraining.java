package io.slipway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code src/dist/build-runtime} runs once, in one JVM, to train the runtime's ahead-of-time
 * cache (or, on a JDK before 25, to list the classes of its class-data archive): the kinds of run a
 * user makes. Everything a run loads and links, and the profiles of the methods it runs, come from
 * the cache at the next start; what training misses is read, verified and linked at every run. So
 * the commands here call a service for real: a one-file HTTP server on a loopback port (the runtime
 * has {@code java.base} only) answers every GET with a page of three apps, so that the sockets, the
 * keep-alive cache, the JSON reader and the table come from the cache too.
 */
final class ArchiveTraining {

  private static final String PAGE =
      """
      {"items":[%s],"page":0,"size":200,"totalElements":3}"""
          .formatted(
              String.join(
                  ",",
                  List.of("site", "api", "worker").stream()
                      .map(
                          name ->
                              """
                              {"tenant":"training","project":"training","name":"%s",\
                              "source":"hosted-git","sourceRef":null,"role":"owner",\
                              "createdAt":"2026-01-01T00:00:00Z","createdBy":"training"}"""
                                  .formatted(name))
                      .toList()));

  private ArchiveTraining() {}

  /** {@code args[0]}: an empty scratch directory for the configuration (nothing else is stored). */
  public static void main(String[] args) throws IOException {
    Path scratch = Path.of(args[0]);
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> serve(server), "training-server");
      serving.setDaemon(true);
      serving.start();
      String url = "http://127.0.0.1:" + server.getLocalPort();
      Map<String, String> environment =
          Map.of(
              "XDG_CONFIG_HOME", scratch.toString(),
              "HOME", scratch.toString(),
              "SLIPWAY_TENANT_URL", url);
      PrintWriter none = new PrintWriter(Writer.nullWriter());
      Terminal.ofProcess();
      for (List<String> line :
          List.of(
              List.of("--version"),
              List.of("--help"),
              List.of("apps", "list", "--help"),
              List.of("login", "--token", "slp_training"),
              List.of("apps", "list", "-t", "training", "-p", "training"),
              List.of("apps", "list", "-t", "training", "-p", "training", "-o", "json"),
              List.of("tenants", "list"))) {
        Main.run(
            line.toArray(String[]::new),
            environment,
            scratch,
            InputStream.nullInputStream(),
            none,
            none,
            Terminal.NONE);
      }
    }
  }

  /** Answers every request with {@link #PAGE}, one request per connection, until closed. */
  private static void serve(ServerSocket server) {
    byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        // the request's head ends with an empty line; GETs have no body
        for (int seen = 0, b; seen < 4 && (b = in.read()) >= 0; ) {
          seen = (b == '\r' || b == '\n') ? seen + 1 : 0;
        }
        OutputStream out = socket.getOutputStream();
        out.write(head);
        out.write(body);
        out.flush();
      } catch (IOException closed) {
        return;
      }
    }
  }
}
