package io.slipway.runtime.tenant;

import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.runtime.model.AppRef;
import java.util.Map;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Every change runtime-bridge makes for a caller goes to the tenant's audit trail at
 * tenant-service: who (named by {@link AuditActor}), what (an action and names, never a secret's
 * value), on which app, when and from which address. Events go through runtime-bridge's outbox
 * ({@link AuditRecorder}): a call inside a transaction stores its event with that transaction; the
 * relay delivers it at least once, also after tenant-service was down or runtime-bridge restarted.
 */
@Component
public class AuditEvents {

  private final AuditRecorder recorder;

  public AuditEvents(AuditRecorder recorder) {
    this.recorder = recorder;
  }

  /** Records {@code action} on the app {@code ref} with {@code details}. */
  public void app(Jwt caller, AppRef ref, String action, Map<String, Object> details) {
    record(
        caller,
        ref.tenant(),
        action,
        ref.tenant() + "/" + ref.project() + "/" + ref.app(),
        details);
  }

  /** Records {@code action} on {@code target} in {@code tenant} (null: platform-wide). */
  public void record(
      Jwt caller, String tenant, String action, String target, Map<String, Object> details) {
    recorder.record(caller, tenant, action, target, details);
  }

  /** The caller's name by the platform's one rule ({@link AuditActor}). */
  public static String actor(Jwt caller) {
    return AuditActor.of(caller).name();
  }
}
