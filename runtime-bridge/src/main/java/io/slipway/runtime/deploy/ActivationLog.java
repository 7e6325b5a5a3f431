package io.slipway.runtime.deploy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Records activations off the request path: an invocation hands its row over ({@link #record}) and
 * answers its caller; a thread of the log's own writes what came in one batch at least every {@link
 * #FLUSH_MILLIS} ms. So a bridge that dies loses at most the last half second of activations, and a
 * clean stop writes what it holds first. Past {@link #MAX_PENDING} rows waiting (the database
 * down), more are dropped and said so in the log rather than held without bound.
 */
@Component
class ActivationLog implements DisposableBean {

  /** How long a recorded activation may wait before it is written. */
  static final long FLUSH_MILLIS = 500;

  static final int MAX_PENDING = 10_000;

  private static final int BATCH = 500;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Logger log = LoggerFactory.getLogger(ActivationLog.class);

  private final ActivationStore store;
  private final ActivationUsage usage;
  private final BlockingQueue<ActivationStore.Recorded> pending =
      new ArrayBlockingQueue<>(MAX_PENDING);
  private final SecureRandom random = new SecureRandom();
  private final Thread writer;
  private volatile boolean stopping;

  ActivationLog(ActivationStore store, ActivationUsage usage) {
    this.store = store;
    this.usage = usage;
    this.writer = Thread.ofPlatform().name("activation-log").daemon().start(this::writeLoop);
  }

  /** A new activation id: {@code ac} and 26 base32 characters (130 random bits). */
  String newId() {
    byte[] bytes = new byte[26];
    random.nextBytes(bytes);
    StringBuilder id = new StringBuilder("ac");
    for (byte b : bytes) {
      id.append(BASE32[b & 31]);
    }
    return id.toString();
  }

  /** Queues the activation for the next batch. */
  void record(ActivationStore.Recorded activation) {
    if (!pending.offer(activation)) {
      log.warn(
          "Activation {} of {} not recorded: {} are waiting to be written already",
          activation.activation().id(),
          activation.ref(),
          MAX_PENDING);
    }
  }

  private void writeLoop() {
    while (!stopping) {
      try {
        ActivationStore.Recorded first = pending.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        if (first != null) {
          // what else came meanwhile goes in the same batch
          List<ActivationStore.Recorded> batch = new ArrayList<>(List.of(first));
          pending.drainTo(batch, BATCH - 1);
          write(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One batch; when it fails, each row alone, so that one bad row loses no other. What is written
   * counts in its tenant's usage at the next report.
   */
  private void write(List<ActivationStore.Recorded> batch) {
    try {
      store.insert(batch);
      usage.written(batch);
    } catch (RuntimeException failed) {
      for (ActivationStore.Recorded one : batch) {
        try {
          store.insert(List.of(one));
          usage.written(List.of(one));
        } catch (RuntimeException e) {
          log.warn(
              "Activation {} of {} could not be written; it is lost: {}",
              one.activation().id(),
              one.ref(),
              e.getMessage());
        }
      }
    }
  }

  /** Writes whatever waits now (a clean stop, or a test that reads at once). */
  void flush() {
    List<ActivationStore.Recorded> batch = new ArrayList<>();
    while (pending.drainTo(batch, BATCH) > 0) {
      write(batch);
      batch.clear();
    }
  }

  @Override
  public void destroy() throws InterruptedException {
    stopping = true;
    writer.interrupt();
    writer.join(5_000);
    flush();
  }
}
