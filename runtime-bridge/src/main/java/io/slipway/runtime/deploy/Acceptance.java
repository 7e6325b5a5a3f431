package io.slipway.runtime.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a replica that accepted a deploy or rollback knew and the rollout needs, kept with the
 * pending revision (column {@code accepted}) so that whichever replica holds the app's lease can
 * carry it out, also after the accepting one is gone.
 *
 * @param event the event reason once live ({@code Deployed})
 * @param message what the event says after the revision's number ({@code " from build #7 (...)"})
 * @param admittedMillis how long the image check and the quota reservation took
 * @param release whether the image's release phase and app.json scripts run (a new image: yes; a
 *     rollback: no)
 * @param action the audit action the accept recorded ({@code app.deployed}), or null
 * @param caller the claims that name who asked (never the token), or empty
 * @param formation the counts per process type ({@code web} too) of the live revision the spec's
 *     counts were made against, or null (nothing was live): a count the app's live revision runs
 *     otherwise when the rollout starts was scaled since, and the rollout takes it
 */
record Acceptance(
    String event,
    String message,
    long admittedMillis,
    boolean release,
    String action,
    Map<String, Object> caller,
    Map<String, Integer> formation) {

  /** The claims {@link io.slipway.kit.audit.AuditActor} names an actor by; nothing else. */
  private static final List<String> ACTOR_CLAIMS =
      List.of(
          "sub",
          "preferred_username",
          "azp",
          "realm_access",
          "slipway_token_kind",
          "slipway_token_id");

  Acceptance {
    caller = caller == null ? Map.of() : Map.copyOf(caller);
    formation = formation == null ? null : Map.copyOf(formation);
  }

  static Acceptance of(
      String event,
      String message,
      long admittedMillis,
      boolean release,
      ChangeAudit.Intent intent) {
    return of(event, message, admittedMillis, release, intent, null);
  }

  /** An acceptance of a revision whose counts were made against {@code formation}. */
  static Acceptance of(
      String event,
      String message,
      long admittedMillis,
      boolean release,
      ChangeAudit.Intent intent,
      Map<String, Integer> formation) {
    Map<String, Object> claims = new LinkedHashMap<>();
    if (intent != null && intent.caller() != null) {
      ACTOR_CLAIMS.forEach(
          name -> {
            Object value = intent.caller().getClaims().get(name);
            if (value != null) {
              claims.put(name, value);
            }
          });
    }
    return new Acceptance(
        event,
        message,
        admittedMillis,
        release,
        intent == null ? null : intent.action(),
        claims,
        formation);
  }

  /** The same acceptance, its admission taking {@code millis} longer (the quota reservation). */
  Acceptance plusMillis(long millis) {
    return new Acceptance(
        event, message, admittedMillis + millis, release, action, caller, formation);
  }

  /**
   * The intent a failure is recorded against: the same action by the same actor (the request's
   * address is not kept); null when the accept recorded none.
   */
  ChangeAudit.Intent intent() {
    if (action == null || caller.isEmpty()) {
      return null;
    }
    Jwt jwt =
        Jwt.withTokenValue("accepted")
            .header("alg", "none")
            .claims(claims -> claims.putAll(caller))
            .build();
    return new ChangeAudit.Intent(jwt, action, Map.of());
  }
}
