package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An OCI registry started by a test: Debian's {@code docker-registry} on a loopback port, its
 * storage in a temporary directory. Plain HTTP ({@link #start}), which podman, buildah and skopeo
 * reach only with {@code --tls-verify=false}; or HTTPS with a self-signed certificate for 127.0.0.1
 * ({@link #startTls}), which they trust when it is in the file {@code SSL_CERT_FILE} names in their
 * environment (Go's roots), as a registry is reached in production; or plain HTTP behind token
 * authentication ({@link #startWithTokenAuth}), trusting the tokens a test's token service signs;
 * or plain HTTP taking only the logins of an htpasswd file ({@link #startWithLogins}). Stop it
 * after.
 */
public final class TestRegistry implements AutoCloseable {

  private final Process process;
  private final Path dir;
  private final String host;
  private final int port;
  private final boolean tls;
  private final boolean loginRequired;

  private TestRegistry(
      Process process, Path dir, String host, int port, boolean tls, boolean loginRequired) {
    this.process = process;
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.loginRequired = loginRequired;
  }

  /**
   * The registry's {@code auth.token} settings: clients get their tokens from {@code realm}, and
   * the registry accepts a token only with this {@code service} as its audience, this {@code
   * issuer}, and a signature by the certificate in {@code rootCertBundle} (which must exist when
   * the registry starts).
   */
  public record TokenAuth(String realm, String service, String issuer, Path rootCertBundle) {}

  /** Starts a plain-HTTP registry on {@code port} of 127.0.0.1 and waits until it answers. */
  public static TestRegistry start(int port) {
    return start("127.0.0.1", port, null, null, null);
  }

  /**
   * Starts a plain-HTTP registry on {@code port} of 127.0.0.1 that answers only the logins of the
   * {@code htpasswd} file (bcrypt), to pulls and pushes alike, and waits until it answers (401 to
   * an anonymous client).
   */
  public static TestRegistry startWithLogins(int port, Path htpasswd) {
    return start("127.0.0.1", port, null, null, htpasswd);
  }

  /**
   * Starts a plain-HTTP registry on {@code port} of 127.0.0.1 that answers nothing without a token
   * of {@code auth}'s token service, and waits until it answers (401 to an anonymous client).
   */
  public static TestRegistry startWithTokenAuth(int port, TokenAuth auth) {
    return start("127.0.0.1", port, null, auth, null);
  }

  /**
   * The same on {@code host} (an address of this machine) instead of 127.0.0.1: e.g. the gateway of
   * podman's bridge network, which both this JVM and the containers on that network reach.
   */
  public static TestRegistry startWithTokenAuth(String host, int port, TokenAuth auth) {
    return start(host, port, null, auth, null);
  }

  /**
   * Starts an HTTPS registry on {@code port} of 127.0.0.1 with a fresh self-signed certificate,
   * written (PEM) to {@code trustedCertificate}, and waits until it listens.
   */
  public static TestRegistry startTls(int port, Path trustedCertificate) {
    return start("127.0.0.1", port, trustedCertificate, null, null);
  }

  private static TestRegistry start(
      String host, int port, Path trustedCertificate, TokenAuth auth, Path htpasswd) {
    try {
      Path dir = Files.createTempDirectory("slipway-test-registry");
      String tls = "";
      if (trustedCertificate != null) {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        run(
            dir,
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString());
        Files.createDirectories(trustedCertificate.toAbsolutePath().getParent());
        Files.copy(cert, trustedCertificate, StandardCopyOption.REPLACE_EXISTING);
        tls =
            """
              tls:
                certificate: %s
                key: %s
            """
                .formatted(cert, key);
      }
      String token =
          auth == null
              ? ""
              : """
              auth:
                token:
                  realm: %s
                  service: %s
                  issuer: %s
                  rootcertbundle: %s
              """
                  .formatted(auth.realm(), auth.service(), auth.issuer(), auth.rootCertBundle());
      if (htpasswd != null) {
        token =
            """
              auth:
                htpasswd:
                  realm: slipway-test
                  path: %s
              """
                .formatted(htpasswd.toAbsolutePath());
      }
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: warn
          storage:
            filesystem:
              rootdirectory: %s
          http:
            addr: %s:%d
          %s%s"""
              .formatted(dir.resolve("data"), host, port, tls, token));
      Process process =
          new ProcessBuilder("docker-registry", "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      TestRegistry registry =
          new TestRegistry(
              process,
              dir,
              host,
              port,
              trustedCertificate != null,
              auth != null || htpasswd != null);
      registry.awaitAnswer();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start docker-registry", e);
    }
  }

  private void awaitAnswer() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (true) {
        try {
          if (tls) {
            // the JDK does not trust the certificate: listening is what is asked
            new Socket(host, port).close();
            return;
          }
          int status = get(http, "/v2/", "application/json").statusCode();
          if (status == 200 || (loginRequired && status == 401)) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "docker-registry did not answer on port " + port + "; see " + dir);
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The registry's port on its host (127.0.0.1 unless started on another). */
  public int port() {
    return port;
  }

  /** {@code <host>:<port>}: the start of the registry's image names. */
  public String address() {
    return host + ":" + port;
  }

  /** A GET of a plain-HTTP registry's API with an {@code Accept} header. */
  public HttpResponse<String> get(HttpClient http, String path, String accept)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + address() + path))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void run(Path dir, String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException(command[0] + " failed; see " + dir.resolve("openssl.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the registry and deletes what it stored. */
  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // already gone
    }
  }
}
