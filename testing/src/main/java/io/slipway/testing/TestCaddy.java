package io.slipway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * A real Caddy started by a test, as {@code ./slipway} starts it: its admin API on a unix socket in
 * a directory only this user may enter (0700), no admin TCP port; the router's server on a free
 * loopback port. Stop it after.
 */
public final class TestCaddy implements AutoCloseable {

  private final Process process;
  private final Path adminSocket;
  private final int httpPort;

  private TestCaddy(Process process, Path adminSocket, int httpPort) {
    this.process = process;
    this.adminSocket = adminSocket;
    this.httpPort = httpPort;
  }

  /** Starts Caddy with an empty configuration and waits for its admin API. */
  public static TestCaddy start() throws Exception {
    int http = ServiceProcess.freePort();
    Path dir = Files.createTempDirectory("slipway-test-caddy");
    Path adminDir =
        Files.createDirectory(
            dir.resolve("admin"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path socket = adminDir.resolve("admin.sock");
    Path config = dir.resolve("caddy.json");
    Files.writeString(config, "{\"admin\":{\"listen\":\"unix/" + socket + "\"}}");
    ProcessBuilder builder =
        new ProcessBuilder("caddy", "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("caddy.log").toFile());
    builder.environment().put("XDG_CONFIG_HOME", dir.toString());
    builder.environment().put("XDG_DATA_HOME", dir.toString());
    builder.environment().put("HOME", dir.toString());
    TestCaddy caddy = new TestCaddy(builder.start(), socket, http);
    caddy.awaitAdmin();
    return caddy;
  }

  private void awaitAdmin() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        adminGet("/config/");
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    close();
    throw new IllegalStateException("Caddy did not start");
  }

  /** The unix socket of Caddy's admin API. */
  public Path adminSocket() {
    return adminSocket;
  }

  /**
   * The body of a {@code GET} of the admin API, for tests that look at Caddy's configuration
   * themselves (HTTP/1.0 without a {@code Host}: Caddy refuses any host on a socket).
   */
  public String adminGet(String path) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(adminSocket));
      channel.write(
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
      InputStream in = Channels.newInputStream(channel);
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int body = answer.indexOf("\r\n\r\n");
      if (!answer.startsWith("HTTP/1.0 200") || body < 0) {
        throw new IOException("Caddy answered " + answer.lines().findFirst().orElse("nothing"));
      }
      return answer.substring(body + 4);
    }
  }

  /** The pid of the Caddy process. */
  public long pid() {
    return process.pid();
  }

  /** Where the router's server should listen. */
  public String listen() {
    return "127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
