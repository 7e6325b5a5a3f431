package io.slipway.kit.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change for the tenant's audit trail at tenant-service, as a service records it in its outbox
 * and sends it to {@code POST /api/v1/internal/audit}. Details name what changed (variable and
 * secret names, a revision), never a secret's value.
 *
 * @param eventId unique per change: tenant-service records an event sent twice once
 * @param at when the change was made (not when the event reached tenant-service)
 * @param tenant null for a platform-wide change
 * @param sourceIp the address the change was asked from ({@link ClientAddress}); null outside a
 *     request
 */
public record AuditEvent(
    String eventId,
    Instant at,
    AuditActor actor,
    String tenant,
    String action,
    String target,
    String sourceIp,
    Map<String, Object> details) {

  /** The body tenant-service's {@code POST /api/v1/internal/audit} takes. */
  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventId", eventId);
    body.put("at", at.toString());
    body.put("actor", actor.name());
    body.put("actorKind", actor.kind().value());
    body.put("actorId", actor.id());
    body.put("tokenId", actor.tokenId());
    body.put("tenant", tenant);
    body.put("action", action);
    body.put("target", target);
    body.put("sourceIp", sourceIp);
    body.put("details", details);
    return body;
  }
}
