package io.slipway.kit.audit;

/**
 * Where the relay delivers audit events: tenant-service's {@code POST /api/v1/internal/audit}.
 * Delivery must be idempotent by event id (the relay sends at least once).
 */
public interface AuditSink {

  /** What became of one event. */
  enum Outcome {
    /** Recorded, now or before: the event leaves the outbox. */
    RECORDED,
    /** Refused as invalid: sending it again cannot help; it stays in the outbox, marked. */
    REFUSED,
    /** Not recorded now (unreachable, failing, not authorized yet): tried again later. */
    RETRY
  }

  /**
   * Sends one event, {@code json} being its {@link AuditEvent#body()} as written to the outbox;
   * never throws for a failed delivery (answers {@link Outcome#RETRY}).
   */
  Outcome send(String eventId, String json);
}
