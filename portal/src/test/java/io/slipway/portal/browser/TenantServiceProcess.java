package io.slipway.portal.browser;

import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The real tenant-service, run as its own process from the jar the reactor built, on a fresh
 * database, trusting the test run's Keycloak: the portal talks to it exactly as in production.
 */
final class TenantServiceProcess {

  private static Process process;
  private static int port;

  private TenantServiceProcess() {}

  /** Starts it once per test JVM; returns its base URL. */
  static synchronized String url() {
    if (process == null) {
      start();
    }
    return "http://127.0.0.1:" + port;
  }

  private static void start() {
    Path jar = Path.of("..", "tenant-service", "target", "tenant-service-0.1.0-SNAPSHOT-exec.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: build tenant-service first (the reactor does)");
    }
    port = freePort();
    Path log = Path.of("target", "tenant-service.log");
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-XX:+UseSerialGC",
                      "-jar",
                      jar.toString(),
                      "--server.port=" + port,
                      "--server.address=127.0.0.1",
                      "--spring.datasource.url=" + TestPostgres.newDatabase(),
                      "--spring.datasource.username=postgres",
                      "--spring.datasource.password=postgres",
                      "--spring.security.oauth2.resourceserver.jwt.issuer-uri="
                          + TestKeycloak.issuer()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    awaitHealthy(log);
  }

  private static void awaitHealthy(Path log) {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("tenant-service exited; see " + log.toAbsolutePath());
      }
      try {
        int status =
            client
                .send(
                    HttpRequest.newBuilder(URI.create(url0() + "/actuator/health")).build(),
                    BodyHandlers.discarding())
                .statusCode();
        if (status == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("tenant-service did not become healthy; see " + log);
  }

  private static String url0() {
    return "http://127.0.0.1:" + port;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
