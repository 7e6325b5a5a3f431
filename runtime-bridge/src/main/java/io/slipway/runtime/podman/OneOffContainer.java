package io.slipway.runtime.podman;

import io.slipway.runtime.driver.OneOffCommands.OneOffResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Waits for a started one-off container to exit (or its time to run out), keeps its last lines of
 * output and removes it. Polls podman's inspect rather than holding its {@code wait} call open, so
 * that no API timeout shorter than the command's bounds it.
 */
final class OneOffContainer {

  /** As many lines as a failed rollout shows of its instances. */
  static final int OUTPUT_LINES = 20;

  private static final Duration POLL = Duration.ofMillis(200);

  private final PodmanApi api;
  private final PodmanRequests requests;

  OneOffContainer(PodmanApi api, PodmanRequests requests) {
    this.api = api;
    this.requests = requests;
  }

  /** Waits for {@code name} to exit within {@code timeout}; removes it whatever happens. */
  OneOffResult await(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        PodmanApi.Response inspected = api.get(requests.inspect(name));
        if (!inspected.ok()) {
          throw PodmanApi.refused("GET", requests.inspect(name), inspected);
        }
        var state = inspected.json().path("State");
        String status = state.path("Status").asString();
        if ("exited".equals(status) || "stopped".equals(status)) {
          return new OneOffResult(state.path("ExitCode").asInt(), output(name));
        }
        if (System.nanoTime() > deadline) {
          return new OneOffResult(null, output(name));
        }
        pause();
      }
    } finally {
      // killed at once if it still runs: a release that overran gets no grace
      api.delete("/containers/" + name + "?force=true&timeout=0");
    }
  }

  private String output(String name) {
    try (InputStream frames = api.open(requests.logs(name, OUTPUT_LINES, false))) {
      return new String(new LogFrames(frames).readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a one-off container ran", e);
    }
  }
}
