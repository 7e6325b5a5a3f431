package io.slipway.build.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a command line, hands each line it prints to a sink, and kills it at the deadline. */
final class CommandRunner {

  /** How a command ended: its exit code, or -1 when it was killed at the deadline. */
  record Outcome(int exitCode, boolean timedOut) {
    boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }
  }

  Outcome run(List<String> command, Duration timeout, Consumer<String> lines)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    in.lines().forEach(lines);
                  } catch (IOException e) {
                    // the process died; its exit code tells the story
                  }
                });
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // the service is stopping: never leave a build running behind it
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    }
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
    }
    reader.join(Duration.ofSeconds(5));
    return new Outcome(finished ? process.exitValue() : -1, !finished);
  }

  /** Runs a short command and returns what it printed, trimmed; fails unless it exits with 0. */
  String output(List<String> command) throws IOException, InterruptedException {
    StringBuilder out = new StringBuilder();
    Outcome outcome = run(command, Duration.ofSeconds(30), line -> out.append(line).append('\n'));
    if (!outcome.succeeded()) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out.toString().trim();
  }
}
