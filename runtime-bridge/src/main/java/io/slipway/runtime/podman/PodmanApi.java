package io.slipway.runtime.podman;

import io.slipway.runtime.unixhttp.UnixHttp;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Podman's REST API (libpod, v4) over its unix socket: one HTTP/1.0 exchange per connection, so a
 * response is simply everything up to the end of the stream. A call costs a few milliseconds where
 * a {@code podman} command costs 40 to 100 (the process start).
 *
 * <p>With no socket configured, the API starts {@code podman system service} itself, as its child,
 * on a socket in a directory only this user can enter (the socket gives the power to run anything
 * as this user), and starts it again should it go away. The service leaves on its own when nobody
 * has called it for {@link #IDLE_EXIT}, so that it outlives a bridge killed with {@code -9} only
 * briefly.
 */
public final class PodmanApi implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(PodmanApi.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String PREFIX = "/v4.0.0/libpod";
  private static final String HOST = "podman";
  static final Duration IDLE_EXIT = Duration.ofSeconds(60);
  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

  private final Path socket;
  private final boolean ownService;
  private final Duration timeout;
  private Process service;

  private PodmanApi(Path socket, boolean ownService, Duration timeout) {
    this.socket = socket;
    this.ownService = ownService;
    this.timeout = timeout;
    if (ownService) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }
  }

  /** The API of a podman service someone else runs (systemd's {@code podman.socket}, say). */
  public static PodmanApi at(Path socket, Duration timeout) {
    return new PodmanApi(socket, false, timeout);
  }

  /** The API of a podman service of its own, started on first use. */
  public static PodmanApi ownService(Duration timeout) {
    try {
      sweepAbandoned(Path.of(System.getProperty("java.io.tmpdir")));
      Path dir =
          Files.createTempDirectory(
              "slipway-podman-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return new PodmanApi(dir.resolve("podman.sock"), true, timeout);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for podman's socket", e);
    }
  }

  /**
   * Deletes the empty directories of services long gone: a bridge killed with {@code -9} cannot
   * delete its own, and its service removes only the socket when it leaves. A directory of a
   * running service holds its socket; a fresh one may be empty for a moment, hence the age.
   */
  static void sweepAbandoned(Path tmp) {
    long before = System.currentTimeMillis() - ABANDONED_AFTER.toMillis();
    try (Stream<Path> dirs = Files.list(tmp)) {
      dirs.filter(dir -> dir.getFileName().toString().startsWith("slipway-podman-"))
          .filter(dir -> dir.toFile().lastModified() < before)
          .forEach(dir -> dir.toFile().delete()); // deletes only what is empty
    } catch (IOException | SecurityException e) {
      log.debug("could not sweep old podman socket directories: {}", e.toString());
    }
  }

  /** What podman answered: its status and body. */
  public record Response(int status, byte[] body) {
    public boolean ok() {
      return status / 100 == 2 || status == 304;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JacksonException e) {
        throw new IllegalStateException("podman answered something that is not JSON", e);
      }
    }
  }

  /** A call podman refused; the message names the call and podman's reason (never a body). */
  public static final class PodmanApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String reason;

    PodmanApiException(String call, int status, String reason) {
      super("podman " + call + " answered " + status + ": " + reason);
      this.status = status;
      this.reason = reason;
    }

    public int status() {
      return status;
    }

    /** Podman's own words ({@code cause: message}). */
    public String reason() {
      return reason;
    }
  }

  public Response get(String path) {
    return call("GET", path, null);
  }

  /**
   * A GET of what podman knows of a container. Podman 4.3 answers 500 "no such process" when the
   * container's process exits while it reads that process's cgroup (an instance being killed over
   * its memory limit, a run ending); the container's state has settled by a second read.
   */
  public Response inspect(String path) {
    Response response = get(path);
    for (int retry = 0; retry < 3 && exitedWhileRead(response); retry++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return response;
      }
      response = get(path);
    }
    return response;
  }

  private static boolean exitedWhileRead(Response response) {
    return response.status() == 500
        && new String(response.body(), StandardCharsets.UTF_8).contains("no such process");
  }

  public Response post(String path, Object body) {
    return call("POST", path, body);
  }

  public Response delete(String path) {
    return call("DELETE", path, null);
  }

  /** Makes the call and fails unless podman answered 2xx (or 304: already so). */
  public Response require(String method, String path, Object body) {
    Response response = call(method, path, body);
    if (!response.ok()) {
      throw refused(method, path, response);
    }
    return response;
  }

  /** The exception for a refused call, with podman's reason. */
  public static PodmanApiException refused(String method, String path, Response response) {
    int query = path.indexOf('?');
    return new PodmanApiException(
        method + " " + (query < 0 ? path : path.substring(0, query)),
        response.status(),
        reason(response));
  }

  /** Podman's words for a refusal: the {@code message} of its error body, else the body. */
  public static String reason(Response response) {
    if (response.body().length == 0) {
      return "(no message)";
    }
    try {
      JsonNode error = JSON.readTree(response.body());
      if (error.hasNonNull("message")) {
        return error.path("message").asString();
      }
    } catch (JacksonException e) {
      // not JSON: the body as it is
    }
    return new String(response.body(), StandardCharsets.UTF_8).strip();
  }

  /** One line of JSON podman sent (a pull's progress, say); an empty object when it is not JSON. */
  public static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JacksonException e) {
      return JSON.createObjectNode();
    }
  }

  /** The pid of the service this API runs, while it runs. */
  public synchronized Optional<Long> servicePid() {
    return service != null && service.isAlive() ? Optional.of(service.pid()) : Optional.empty();
  }

  /** Fails unless podman answers (starting the service first if it is this API's own). */
  public void ping() {
    require("GET", "/_ping", null);
  }

  /**
   * An image in local storage as podman inspects it: its manifest {@code Digest} (what {@code
   * skopeo inspect containers-storage:} reports) and its names; empty when storage has no such
   * image.
   */
  public Optional<JsonNode> image(String reference) {
    String path = PodmanRequests.image(reference);
    Response response = get(path);
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (!response.ok()) {
      throw refused("GET", path, response);
    }
    return Optional.of(response.json());
  }

  /**
   * One exchange; the whole answer is read within the timeout. A {@code byte[]} body is sent as it
   * is (a secret's content), any other as JSON.
   */
  public Response call(String method, String path, Object body) {
    byte[] payload =
        body == null ? null : body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
    try {
      UnixHttp.Answer answer =
          UnixHttp.exchange(connect(), method, PREFIX + path, HOST, payload, timeout);
      return new Response(answer.status(), answer.body());
    } catch (HttpTimeoutException e) {
      throw new UncheckedIOException(
          new IOException("podman " + method + " " + path + " timed out after " + timeout, e));
    } catch (IOException e) {
      throw new UncheckedIOException("podman " + method + " " + path + " failed", e);
    }
  }

  /**
   * Opens a streaming answer (a followed log, say): the body as it arrives, until podman ends it or
   * the stream is closed. No timeout.
   */
  public InputStream open(String path) {
    SocketChannel channel = connect();
    try {
      UnixHttp.Streaming answer = UnixHttp.open(channel, "GET", PREFIX + path, HOST);
      if (answer.status() / 100 != 2) {
        Response refusal = new Response(answer.status(), answer.body().readAllBytes());
        channel.close();
        throw refused("GET", path, refusal);
      }
      return answer.body();
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("podman GET " + path + " failed", e);
    }
  }

  private SocketChannel connect() {
    try {
      return open();
    } catch (IOException e) {
      if (!ownService) {
        throw new UncheckedIOException("podman's socket " + socket + " does not answer", e);
      }
      return startServiceAndConnect();
    }
  }

  private SocketChannel open() throws IOException {
    return UnixHttp.connect(socket);
  }

  private synchronized SocketChannel startServiceAndConnect() {
    try {
      return open(); // another caller may have started it in between
    } catch (IOException notYet) {
      // start it below
    }
    if (service != null) {
      service.destroy();
    }
    try {
      // swept by another bridge while this one's service was gone a long time: made again
      Files.createDirectories(
          socket.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.deleteIfExists(socket);
      service =
          new ProcessBuilder(
                  List.of(
                      "podman",
                      "system",
                      "service",
                      "--time=" + IDLE_EXIT.toSeconds(),
                      "unix://" + socket))
              .directory(socket.getParent().toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      log.info("started podman system service on {} (pid {})", socket, service.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start podman system service", e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return open();
      } catch (IOException e) {
        if (!service.isAlive()) {
          throw new IllegalStateException(
              "podman system service exited with " + service.exitValue() + " on start");
        }
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException("podman system service did not answer in time", e);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while podman started", interrupted);
        }
      }
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // closing is all that is left to do
    }
  }

  /**
   * Stops the service this API started, if any, and deletes its directory (the socket, and the
   * {@code oom} markers conmon leaves in its working directory).
   */
  @Override
  public synchronized void close() {
    if (service != null) {
      service.destroy();
      try {
        service.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      service = null;
    }
    if (ownService) {
      try (Stream<Path> files = Files.walk(socket.getParent())) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
