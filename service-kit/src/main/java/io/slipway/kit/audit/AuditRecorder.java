package io.slipway.kit.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a service calls to audit a change it made for a caller: names the actor ({@link
 * AuditActor}), takes the source address ({@link ClientAddress}) and the time of the change, and
 * stores the event in the service's {@link AuditOutbox}. Called inside the transaction that makes a
 * database change, the event commits or rolls back with it. Once it is stored (after the commit,
 * inside a transaction) it is sent once at once, so the trail is current when the response returns;
 * while tenant-service is down the relay's passes send it later.
 */
public class AuditRecorder {

  private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);
  // a send times out after 10 s; past this the request goes on and the relay finishes the job
  private static final Duration SEND_WAIT = Duration.ofSeconds(12);

  private final AuditOutbox outbox;
  private final AuditRelay relay;
  private final ClientAddress addresses;
  private final Clock clock;

  public AuditRecorder(AuditOutbox outbox, AuditRelay relay, ClientAddress addresses, Clock clock) {
    this.outbox = outbox;
    this.relay = relay;
    this.addresses = addresses;
    this.clock = clock;
  }

  /**
   * Records {@code action} on {@code target} in {@code tenant} (null: platform-wide) by {@code
   * caller}; {@code details} hold names, never a secret's value.
   */
  public AuditEvent record(
      Jwt caller, String tenant, String action, String target, Map<String, Object> details) {
    AuditEvent event =
        new AuditEvent(
            UUID.randomUUID().toString(),
            clock.instant(),
            AuditActor.of(caller),
            tenant,
            action,
            target,
            addresses.current(caller),
            details);
    outbox.add(event);
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              // the committed transaction's connection is still bound to this thread: what runs
              // here would join it and never commit, so the first send runs on a thread of its own
              Thread sender = Thread.ofVirtual().start(() -> deliver(event));
              try {
                sender.join(SEND_WAIT);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
    } else {
      deliver(event);
    }
    return event;
  }

  private void deliver(AuditEvent event) {
    try {
      relay.deliver(event.eventId());
    } catch (RuntimeException e) {
      // the change is made and its event stored: the relay's next pass sends it
      log.warn("Audit event {} is left to the relay: {}", event.eventId(), e.toString());
    }
  }
}
