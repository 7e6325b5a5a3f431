package io.slipway.governance.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one external command with a time limit; fails with its output when it does not succeed. */
final class CommandRunner {

  private CommandRunner() {}

  /** Runs {@code command} and returns its combined output; throws if it fails or times out. */
  static String run(List<String> command, Duration timeout) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      var output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new ImageReadException(command.get(0) + " did not finish within " + timeout);
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new ImageReadException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new ImageReadException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException("interrupted while running " + command.get(0), e);
    }
  }
}
