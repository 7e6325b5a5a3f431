package io.slipway.build.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a command line, hands each line it prints to a sink, and stops it at the deadline or when
 * asked to. Stopping is graceful first (SIGTERM, so buildah removes its working containers), then
 * forced (SIGKILL to the whole process tree) after {@link #GRACE}. Its output is read while it runs
 * (on a virtual thread), so a command that prints much or hangs is still stopped on time.
 */
public final class CommandRunner {

  public static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration CHECK = Duration.ofMillis(250);
  private static final Duration TAIL_POLL = Duration.ofMillis(50);

  /** How a command ended: its exit code, or -1 when it was stopped. */
  public record Outcome(int exitCode, boolean timedOut, boolean cancelled) {
    public boolean succeeded() {
      return exitCode == 0 && !timedOut && !cancelled;
    }
  }

  public Outcome run(List<String> command, Duration timeout, Consumer<String> lines)
      throws IOException, InterruptedException {
    return run(command, timeout, lines, () -> false);
  }

  /**
   * Runs {@code command} until it ends, {@code timeout} passes, or {@code cancelled} (asked every
   * quarter second) says so.
   */
  public Outcome run(
      List<String> command, Duration timeout, Consumer<String> lines, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    Thread reader = Thread.ofVirtual().start(() -> forEachLine(process.getInputStream(), lines));
    return await(process, reader, timeout, cancelled);
  }

  /**
   * Like {@link #run(List, Duration, Consumer, BooleanSupplier)}, but the command writes to {@code
   * outputFile} rather than to a pipe, which is read as it grows: a command that outlives this JVM
   * (killed with -9) is not killed by a broken pipe halfway through a step, so a restarted service
   * can stop it cleanly. It runs in {@code outputFile}'s directory: what it leaves in its working
   * directory (conmon writes a file {@code oom} there when a container runs out of memory) goes
   * with that directory, not into the service's.
   */
  public Outcome run(
      List<String> command,
      Duration timeout,
      Consumer<String> lines,
      BooleanSupplier cancelled,
      Path outputFile)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(outputFile.toAbsolutePath().getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(outputFile.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    Thread reader = Thread.ofVirtual().start(() -> tail(outputFile, process, lines));
    return await(process, reader, timeout, cancelled);
  }

  private static void forEachLine(InputStream stream, Consumer<String> lines) {
    LineSplitter splitter = new LineSplitter(lines);
    byte[] buffer = new byte[8192];
    try (stream) {
      int read;
      while ((read = stream.read(buffer)) >= 0) {
        splitter.accept(buffer, read);
      }
    } catch (IOException e) {
      // the process died; its exit code tells the story
    }
    splitter.finish();
  }

  private static void tail(Path file, Process process, Consumer<String> lines) {
    LineSplitter splitter = new LineSplitter(lines);
    byte[] buffer = new byte[8192];
    try (InputStream in = Files.newInputStream(file)) {
      while (true) {
        boolean alive = process.isAlive();
        int read;
        while ((read = in.read(buffer)) > 0) {
          splitter.accept(buffer, read);
        }
        if (!alive) {
          break;
        }
        Thread.sleep(TAIL_POLL);
      }
      splitter.finish();
    } catch (IOException e) {
      // the file went away with the build's context
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Outcome await(Process process, Thread reader, Duration timeout, BooleanSupplier cancelled)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    boolean timedOut = false;
    boolean stopped = false;
    try {
      while (!process.waitFor(CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = Instant.now().isAfter(deadline);
        stopped = timedOut || cancelled.getAsBoolean();
        if (stopped) {
          stop(process);
          break;
        }
      }
    } catch (InterruptedException e) {
      // the service is stopping: never leave a build running behind it
      kill(process);
      throw e;
    }
    reader.join(Duration.ofSeconds(5));
    return new Outcome(stopped ? -1 : process.exitValue(), timedOut, stopped && !timedOut);
  }

  private static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      kill(process);
      process.waitFor();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Runs a short command and returns what it printed, trimmed; fails unless it exits with 0 within
   * {@code timeout}.
   */
  public String output(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    StringBuilder out = new StringBuilder();
    Outcome outcome = run(command, timeout, line -> out.append(line).append('\n'));
    if (outcome.timedOut()) {
      throw new IOException(String.join(" ", command) + " took longer than " + timeout);
    }
    if (!outcome.succeeded()) {
      throw new IOException(String.join(" ", command) + " failed: " + out.toString().trim());
    }
    return out.toString().trim();
  }
}
