package io.slipway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real Caddy started by a test on free loopback ports, admin API included; stop it after. */
public final class TestCaddy implements AutoCloseable {

  private final Process process;
  private final int adminPort;
  private final int httpPort;

  private TestCaddy(Process process, int adminPort, int httpPort) {
    this.process = process;
    this.adminPort = adminPort;
    this.httpPort = httpPort;
  }

  /** Starts Caddy with an empty configuration and waits for its admin API. */
  public static TestCaddy start() throws Exception {
    int admin = ServiceProcess.freePort();
    int http = ServiceProcess.freePort();
    Path dir = Files.createTempDirectory("slipway-test-caddy");
    Path config = dir.resolve("caddy.json");
    Files.writeString(config, "{\"admin\":{\"listen\":\"127.0.0.1:" + admin + "\"}}");
    ProcessBuilder builder =
        new ProcessBuilder("caddy", "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("caddy.log").toFile());
    builder.environment().put("XDG_CONFIG_HOME", dir.toString());
    builder.environment().put("XDG_DATA_HOME", dir.toString());
    builder.environment().put("HOME", dir.toString());
    TestCaddy caddy = new TestCaddy(builder.start(), admin, http);
    caddy.awaitAdmin();
    return caddy;
  }

  private void awaitAdmin() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        client.send(
            HttpRequest.newBuilder(admin().resolve("/config/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    close();
    throw new IllegalStateException("Caddy did not start");
  }

  public URI admin() {
    return URI.create("http://127.0.0.1:" + adminPort);
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
