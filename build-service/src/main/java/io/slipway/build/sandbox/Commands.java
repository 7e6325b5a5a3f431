package io.slipway.build.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short host commands of the sandbox's own (inspect, export, copy, remove): output or failure. */
final class Commands {

  private Commands() {}

  static String output(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] out;
    try {
      out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " " + command.get(1) + " took too long");
      }
    } finally {
      process.destroyForcibly();
    }
    String text = new String(out, StandardCharsets.UTF_8).trim();
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + text);
    }
    return text;
  }
}
