package io.slipway.kit.audit;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a service calls to audit a change it made for a caller: names the actor ({@link
 * AuditActor}), takes the source address ({@link ClientAddress}) and the time of the change, and
 * stores the event in the service's {@link AuditOutbox}. Called inside the transaction that makes a
 * database change, the event commits or rolls back with it; the relay is nudged once it commits.
 */
public class AuditRecorder {

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
              relay.nudge();
            }
          });
    } else {
      relay.nudge();
    }
    return event;
  }
}
