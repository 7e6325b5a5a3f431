package io.slipway.kit.audit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Sends a service's {@link AuditOutbox} to tenant-service: at least once (an event leaves the
 * outbox only once tenant-service said it is recorded, and tenant-service records an event id
 * once), in the order the changes were made, surviving restarts (what is in the table is sent by
 * the next pass of any instance). While tenant-service is down each event waits longer between
 * tries, doubling from the relay interval up to {@link AuditSettings#maxBackoff()}.
 *
 * <p>A pass runs every {@link AuditSettings#relayInterval()} and, through {@link #nudge()}, right
 * after each change commits, so that the trail is current within the request's time when
 * tenant-service is up.
 */
public class AuditRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AuditRelay.class);
  private static final int BATCH = 100;
  // an event being sent is not claimed by another pass for this long (a send times out after 10 s)
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final AuditOutbox outbox;
  private final AuditSink sink;
  private final AuditSettings settings;
  private final AtomicBoolean again = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private volatile ScheduledExecutorService passes;

  public AuditRelay(AuditOutbox outbox, AuditSink sink, AuditSettings settings) {
    this.outbox = outbox;
    this.sink = sink;
    this.settings = settings;
  }

  /**
   * Sends every event that is due, batch after batch, until none is left or one is not delivered.
   *
   * @return how many were recorded by tenant-service
   */
  public synchronized int relay() {
    int recorded = 0;
    while (true) {
      List<AuditOutbox.Pending> batch = outbox.claim(BATCH, LEASE);
      boolean stalled = false;
      Duration wait = settings.relayInterval();
      for (AuditOutbox.Pending event : batch) {
        if (stalled) {
          // tenant-service did not take the one before: the rest wait as long, untried
          outbox.postpone(event.id(), wait);
          continue;
        }
        switch (sink.send(event.eventId(), event.json())) {
          case RECORDED -> {
            outbox.delivered(event.id());
            recorded++;
          }
          case REFUSED -> outbox.refused(event.id());
          case RETRY -> {
            wait = backoff(event.attempts());
            outbox.retryAfter(event.id(), wait, "tenant-service did not record it");
            stalled = true;
          }
        }
      }
      if (stalled || batch.size() < BATCH) {
        return recorded;
      }
    }
  }

  /** Doubling from the relay interval, at most the configured maximum. */
  Duration backoff(int attempts) {
    Duration wait = settings.relayInterval();
    for (int i = 0; i < attempts && wait.compareTo(settings.maxBackoff()) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
  }

  /** Runs a pass soon, off the caller's thread (after a change committed). */
  public void nudge() {
    ScheduledExecutorService running = passes;
    if (running != null && again.compareAndSet(false, true)) {
      running.execute(this::pass);
    }
  }

  private void pass() {
    again.set(false);
    try {
      relay();
    } catch (RuntimeException e) {
      // e.g. the service's own database unreachable: the next pass tries again
      log.warn("Could not send audit events: {}", e.toString());
    }
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (passes != null) {
        return;
      }
      passes =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofVirtual().name("audit-relay").factory());
      long every = settings.relayInterval().toMillis();
      passes.scheduleWithFixedDelay(this::pass, every, every, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService running;
    synchronized (lifecycle) {
      running = passes;
      passes = null;
    }
    if (running != null) {
      running.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return passes != null;
  }
}
