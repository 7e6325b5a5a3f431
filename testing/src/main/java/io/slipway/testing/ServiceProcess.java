package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Slipway service run as its own JVM from the executable jar the reactor built, exactly as {@code
 * ./slipway up} runs it: the tests reach it over HTTP only. Output goes to {@code
 * target/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

  /**
   * Long enough for a loaded two-core machine: build-service stays out of service until it has
   * copied the stack images for the build sandboxes, which took more than two minutes at a load of
   * 15.
   */
  private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(300);

  /** The services this JVM started, by base URL, so that a failed call can show their logs. */
  private static final Map<String, ServiceProcess> STARTED = new ConcurrentHashMap<>();

  private final String name;
  private final Path jar;
  private final Map<String, String> environment;
  private final List<String> arguments;
  private final int port;
  private final Path log;
  private Process process;

  private ServiceProcess(
      String name, Path jar, Map<String, String> environment, List<String> arguments, int port) {
    this.name = name;
    this.jar = jar;
    this.environment = Map.copyOf(environment);
    this.arguments = List.copyOf(arguments);
    this.port = port;
    this.log = Path.of("target", name + ".log").toAbsolutePath();
  }

  /**
   * The jar of {@code module} ({@code ../<module>/target/<module>-*-exec.jar}); fails with what to
   * do when the module has not been packaged.
   */
  public static Path jarOf(String module) {
    Path target = Path.of("..", module, "target");
    try (var files = Files.list(target)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow();
    } catch (IOException | java.util.NoSuchElementException e) {
      throw new IllegalStateException(
          "no executable jar in " + target.toAbsolutePath() + ": package " + module + " first");
    }
  }

  /**
   * Starts {@code module}'s jar on a free loopback port with the given environment and extra
   * arguments and waits until {@code /actuator/health} answers 200.
   */
  public static ServiceProcess start(
      String module, Map<String, String> environment, List<String> arguments) {
    return start(module, freePort(), environment, arguments);
  }

  /** As {@link #start(String, Map, List)}, on {@code port}. */
  public static ServiceProcess start(
      String module, int port, Map<String, String> environment, List<String> arguments) {
    ServiceProcess service =
        new ServiceProcess(module, jarOf(module), environment, arguments, port);
    service.startAndAwait();
    return service;
  }

  /** Starts the same service again on the same port (after {@link #kill()}). */
  public void restart() {
    startAndAwait();
  }

  private void startAndAwait() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar"));
    command.add(extracted(jar).toString());
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(log.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // a test JVM that ends without closing it still stops it gracefully (SIGTERM, then SIGKILL
    // after 30 s): build-service unmounts its tenants' build stores only when it stops that way
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    STARTED.put(url(), this);
    awaitHealthy();
  }

  /**
   * For the message of a call that failed with a server error: the end of the log of the service
   * this JVM started at {@code url} (from its last {@code ERROR} line, or its last lines), or an
   * empty string when no service was started there. A CI run's output then says why a service
   * answered 500 without its log file.
   */
  public static String recentLog(String url) {
    ServiceProcess service = STARTED.get(url);
    if (service == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(service.log);
      int from = Math.max(0, lines.size() - 10);
      for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - 400); i--) {
        if (lines.get(i).contains(" ERROR ")) {
          from = i;
          break;
        }
      }
      List<String> shown = lines.subList(from, Math.min(lines.size(), from + 30));
      return "\n--- the end of " + service.log + ":\n" + String.join("\n", shown);
    } catch (IOException e) {
      return "\n--- " + service.log + " cannot be read: " + e.getMessage();
    }
  }

  /**
   * The jar Spring Boot's {@code extract} makes of {@code jar}: the application's classes with its
   * libraries as plain jars beside it, which the JVM opens directly instead of through the
   * executable jar's nested-jar loader: a start takes about a third less CPU (14.6 against 9.6 s
   * for tenant-service here). Kept per version of the jar ({@code
   * target/extracted/<modified>-<size>}) and made in a directory of its own first, so that JVMs
   * starting the same service at once (runtime-bridge's two test JVMs, or two modules' side by
   * side) never see a half-made one, and one in use is never replaced.
   */
  public static Path extracted(Path jar) {
    try {
      Path versions = jar.toAbsolutePath().getParent().resolve("extracted");
      Path version =
          versions.resolve(Files.getLastModifiedTime(jar).toMillis() + "-" + Files.size(jar));
      Path extracted = version.resolve(jar.getFileName());
      if (Files.isRegularFile(extracted)) {
        return extracted;
      }
      Files.createDirectories(versions);
      Path making = Files.createTempDirectory(versions, "making-");
      Process extract =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Djarmode=tools",
                  "-jar",
                  jar.toAbsolutePath().toString(),
                  "extract",
                  "--destination",
                  making.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0) {
        extract.destroyForcibly();
        throw new IllegalStateException("could not extract " + jar);
      }
      try {
        Files.move(making, version, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException madeMeanwhile) {
        // another JVM made the same version first: use its
        TestPlatform.deleteWork(making);
      }
      return extracted;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while extracting " + jar, e);
    }
  }

  private void awaitHealthy() {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/actuator/health")).build();
    Instant deadline = Instant.now().plus(HEALTHY_WITHIN);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited; see " + log);
      }
      try {
        if (client.send(health, BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pause();
    }
    throw new IllegalStateException(
        name + " did not become healthy in " + HEALTHY_WITHIN.toSeconds() + " s; see " + log);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** Kills the JVM at once (SIGKILL): no shutdown hook or graceful stop runs. */
  public void kill() {
    process.destroyForcibly();
    await();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      await();
    }
  }

  private void await() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A loopback port nothing listens on right now. */
  public static int freePort() {
    return freePorts(1)[0];
  }

  /**
   * {@code count} distinct loopback ports nothing listens on right now: for services started one
   * after another that must know each other's ports beforehand (the ports of separate {@link
   * #freePort()} calls may be the same one while nothing has bound the first yet).
   */
  public static int[] freePorts(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        held.add(new ServerSocket(0));
      }
      return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // only held to keep the ports apart
        }
      }
    }
  }
}
