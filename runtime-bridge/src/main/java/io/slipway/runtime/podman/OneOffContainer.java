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
public final class OneOffContainer {

  /** As many lines as a failed rollout shows of its instances. */
  static final int OUTPUT_LINES = 20;

  private static final Duration POLL = Duration.ofMillis(200);

  private final PodmanApi api;
  private final PodmanRequests requests;

  public OneOffContainer(PodmanApi api, PodmanRequests requests) {
    this.api = api;
    this.requests = requests;
  }

  /** Waits for {@code name} to exit within {@code timeout}; removes it whatever happens. */
  public OneOffResult await(String name, Duration timeout) {
    return await(name, timeout, OUTPUT_LINES);
  }

  /** The same, keeping its last {@code lines} lines of output. */
  OneOffResult await(String name, Duration timeout, int lines) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        PodmanApi.Response inspected = api.inspect(requests.inspect(name));
        if (inspected.status() == 404) {
          // removed behind its back (its app deleted meanwhile): it ran no further
          return new OneOffResult(null, "");
        }
        if (!inspected.ok()) {
          throw PodmanApi.refused("GET", requests.inspect(name), inspected);
        }
        var state = inspected.json().path("State");
        String status = state.path("Status").asString();
        if ("exited".equals(status) || "stopped".equals(status)) {
          return new OneOffResult(state.path("ExitCode").asInt(), output(name, lines));
        }
        if (System.nanoTime() > deadline) {
          return new OneOffResult(null, output(name, lines));
        }
        pause();
      }
    } finally {
      // killed at once if it still runs: a release that overran gets no grace
      api.delete("/containers/" + name + "?force=true&timeout=0");
      api.delete(PodmanRequests.secretRemove(name));
    }
  }

  private String output(String name, int lines) {
    try (InputStream frames = api.open(requests.logs(name, lines, false))) {
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
