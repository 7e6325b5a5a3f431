package io.slipway.runtime.podman;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs {@code podman} with an argument list and returns what it said. Thin on purpose. */
public class PodmanRunner {

  // Output is drained on virtual threads: the common pool may have a single thread here.
  private static final Executor READERS = Executors.newVirtualThreadPerTaskExecutor();

  private final Duration timeout;

  public PodmanRunner(Duration timeout) {
    this.timeout = timeout;
  }

  /** The outcome of one command. */
  public record Result(List<String> args, int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Runs the command and fails unless it exits with 0. */
  public Result run(List<String> args) {
    Result result = attempt(args);
    if (!result.succeeded()) {
      throw new PodmanException(result);
    }
    return result;
  }

  /** Runs the command and returns whatever it exited with. */
  public Result attempt(List<String> args) {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add("podman");
    command.addAll(args);
    try {
      // conmon drops an "oom" marker file into its working directory when a container is
      // OOM-killed: keep that out of wherever the bridge was started from.
      Process process =
          new ProcessBuilder(command)
              .directory(new java.io.File(System.getProperty("java.io.tmpdir")))
              .start();
      process.getOutputStream().close();
      CompletableFuture<String> stdout = read(process.getInputStream());
      CompletableFuture<String> stderr = read(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new PodmanException(new Result(args, -1, "", "timed out after " + timeout));
      }
      return new Result(args, process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run podman", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running podman", e);
    }
  }

  private static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        READERS);
  }

  /** A podman command that failed; its message names the command (never its environment). */
  public static final class PodmanException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Result result;

    PodmanException(Result result) {
      super(
          "podman "
              + String.join(" ", result.args().subList(0, Math.min(2, result.args().size())))
              + " exited with "
              + result.exitCode()
              + ": "
              + result.stderr().strip());
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }
}
