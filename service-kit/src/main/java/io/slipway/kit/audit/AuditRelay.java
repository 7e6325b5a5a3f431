package io.slipway.kit.audit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * <p>A pass runs every {@link AuditSettings#relayInterval()}; besides, each event is sent once
 * right after its change committed ({@link #deliver}), so that the trail is current when the
 * change's response returns while tenant-service is up.
 */
public class AuditRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AuditRelay.class);
  private static final int BATCH = 100;
  // an event being sent is not claimed by another pass for this long (a send times out after 10 s)
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final AuditOutbox outbox;
  private final AuditSink sink;
  private final AuditSettings settings;
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
   * @return how many were settled: recorded by tenant-service (or refused by it for good)
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
        if (send(event)) {
          recorded++;
        } else {
          wait = backoff(event.attempts());
          stalled = true;
        }
      }
      if (stalled || batch.size() < BATCH) {
        return recorded;
      }
    }
  }

  /**
   * Sends the event {@code eventId} now, unless a pass has it or it is not due; what is not
   * delivered stays for the passes.
   *
   * @return whether it was settled now (recorded, or refused for good)
   */
  public boolean deliver(String eventId) {
    return outbox.claim(eventId, LEASE).map(this::send).orElse(false);
  }

  /** Sends one claimed event and settles its row: whether it was recorded. */
  private boolean send(AuditOutbox.Pending event) {
    switch (sink.send(event.eventId(), event.json())) {
      case RECORDED -> {
        outbox.delivered(event.id());
        return true;
      }
      case REFUSED -> {
        outbox.refused(event.id());
        return true;
      }
      default -> {
        outbox.retryAfter(
            event.id(), backoff(event.attempts()), "tenant-service did not record it");
        return false;
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

  private void pass() {
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
