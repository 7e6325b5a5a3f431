package io.slipway.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An action a test repeats in the background while it does something else (requests through the
 * router during a rollout, sampling what runs): on a daemon thread, paced by {@code pause}, and
 * stopped when closed. Used in try-with-resources, so a failed assertion never leaves it running
 * for the rest of the test JVM (an unpaced loop that outlived its test once slowed every later test
 * of a run until tenant-service calls timed out).
 */
public final class BackgroundLoop implements AutoCloseable {

  private static final Duration JOIN = Duration.ofSeconds(15);

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private BackgroundLoop(String name, Duration pause, Runnable action) {
    thread =
        Thread.ofPlatform()
            .name(name)
            .daemon()
            .start(
                () -> {
                  while (running.get()) {
                    action.run();
                    try {
                      Thread.sleep(pause);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /** Starts running {@code action} again and again, {@code pause} apart, until closed. */
  public static BackgroundLoop every(String name, Duration pause, Runnable action) {
    return new BackgroundLoop(name, pause, action);
  }

  /** Stops the loop and waits for its last run to end. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(JOIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
