package io.slipway.bench;

import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What an app left where it would be: containers in podman (by the app id label runtime-bridge
 * gives them), routes in the router's live configuration (Caddy's admin API, by the app id in each
 * route's {@code @id}) and images in the host's store (named by the app id).
 */
final class Leftovers {

  private final TestPlatform platform;

  Leftovers(TestPlatform platform) {
    this.platform = platform;
  }

  /** The containers of the app, running or not. */
  long containers(String appId) {
    return lines(podman("ps", "-a", "-q", "--filter", "label=slipway.io/app-id=" + appId));
  }

  /** The router's routes for the app. */
  long routes(String appId) {
    try {
      String config = platform.caddy().adminGet("/config/");
      return config.split("\"slipway\\." + appId + "\\.", -1).length - 1L;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The app's built images in the host's store. */
  long images(String appId) {
    return lines(
        podman(
            "images",
            "-q",
            "--filter",
            "reference=localhost/" + platform.namePrefix() + "images/*/*/" + appId));
  }

  private static long lines(String output) {
    return output.isBlank() ? 0 : output.lines().count();
  }

  /** Runs podman and answers what it printed; fails when podman does. */
  static String podman(String... arguments) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
