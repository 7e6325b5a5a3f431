package io.slipway.governance.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command with a time limit and returns its standard output; fails with its
 * standard error when it does not succeed (skopeo logs to standard error even when it works).
 */
final class CommandRunner {

  private CommandRunner() {}

  static String run(List<String> command, Duration timeout) {
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      String stdout = readAll(process.getInputStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new ImageReadException(command.get(0) + " did not finish within " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new ImageReadException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + stderr.join().strip());
      }
      return stdout;
    } catch (IOException | UncheckedIOException e) {
      throw new ImageReadException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException("interrupted while running " + command.get(0), e);
    }
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
