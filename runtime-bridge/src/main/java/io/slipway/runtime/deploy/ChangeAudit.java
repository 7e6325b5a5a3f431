package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.AuditEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audits a caller's change to an app together with the change's own row: the audit record is
 * written in the same transaction as the desired state (a revision, the stopped flag, the
 * configuration, a domain claim), before any container or route is touched. A crash can then only
 * leave a recorded intent, never a change without its record, and a change whose row is rolled back
 * leaves no record. When the outcome is not what was asked (a rollout that failed), that is a
 * record of its own, {@value #FAILED}, written afterwards.
 */
@Component
class ChangeAudit {

  /** The record of a change that did not come out as its intent said: action, revision, reason. */
  static final String FAILED = "app.change-failed";

  private static final int MAX_REASON = 500;

  /**
   * What a caller asked for: the audit action and its details (names, never a value).
   *
   * @param caller who asked
   * @param action a stable verb such as {@code app.deployed}
   * @param details what the trail keeps of the change
   */
  record Intent(Jwt caller, String action, Map<String, Object> details) {

    Intent {
      details = new LinkedHashMap<>(details);
    }

    /** The same intent with more details (those known only once the change is under way). */
    Intent with(Map<String, Object> more) {
      Map<String, Object> all = new LinkedHashMap<>(details);
      all.putAll(more);
      return new Intent(caller, action, all);
    }
  }

  private final AuditEvents audit;
  private final TransactionTemplate tx;

  ChangeAudit(AuditEvents audit, TransactionTemplate tx) {
    this.audit = audit;
    this.tx = tx;
  }

  /**
   * Runs {@code write} (the change's own rows) and records the intents in one transaction; without
   * intents (a change the platform makes itself) it only runs {@code write}.
   */
  <T> T recorded(AppRef ref, List<Intent> intents, Supplier<T> write) {
    if (intents.isEmpty()) {
      return write.get();
    }
    return tx.execute(
        status -> {
          T result = write.get();
          intents.forEach(i -> audit.app(i.caller(), ref, i.action(), i.details()));
          return result;
        });
  }

  /**
   * Runs {@code write} and records the intents in one transaction, also without intents: for a
   * change whose rows must be written together whoever asked (a configuration and its revision).
   */
  <T> T together(AppRef ref, List<Intent> intents, Supplier<T> write) {
    return tx.execute(status -> recorded(ref, intents, write));
  }

  /** {@link #recorded(AppRef, List, Supplier)} for one intent, or none when it is null. */
  <T> T recorded(AppRef ref, Intent intent, Supplier<T> write) {
    return recorded(ref, intent == null ? List.of() : List.of(intent), write);
  }

  /** {@link #recorded(AppRef, Intent, Supplier)} for a write that returns nothing. */
  void recorded(AppRef ref, Intent intent, Runnable write) {
    recorded(
        ref,
        intent,
        () -> {
          write.run();
          return null;
        });
  }

  /** The change {@code intent} recorded did not come out as asked: a record of its own, why. */
  void failed(AppRef ref, Intent intent, Integer revision, String reason) {
    if (intent == null) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("action", intent.action());
    if (revision != null) {
      details.put("revision", revision);
    }
    String why = String.valueOf(reason);
    details.put("reason", why.length() > MAX_REASON ? why.substring(0, MAX_REASON) + "..." : why);
    audit.app(intent.caller(), ref, FAILED, details);
  }
}
