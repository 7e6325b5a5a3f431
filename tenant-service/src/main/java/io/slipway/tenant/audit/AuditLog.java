package io.slipway.tenant.audit;

import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.audit.ClientAddress;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantRef;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail: who changed what, when, and the state before and after. Records join the
 * caller's transaction, so a change and its audit event commit or roll back together.
 *
 * <p>An event keeps its tenant's name and, resolved from that name when it is recorded, the
 * tenant's immutable id: a tenant's own trail is read by id, so a tenant registered under a deleted
 * tenant's name never sees the old tenant's events.
 */
@Service
public class AuditLog {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final ClientAddress addresses;

  AuditLog(JdbcClient jdbc, JsonMapper json, ClientAddress addresses) {
    this.jdbc = jdbc;
    this.json = json;
    this.addresses = addresses;
  }

  /**
   * Records one change.
   *
   * @param tenant the tenant's name (an existing tenant's), or null for platform-wide changes
   * @param action a stable verb such as {@code project.created} or {@code quota.updated}
   * @param target the changed object's path, e.g. {@code acme/web/api}
   * @param before the state before (null when created); serialized as JSON
   * @param after the state after (null when deleted); serialized as JSON
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void record(
      Actor actor, String tenant, String action, String target, Object before, Object after) {
    AuditActor who = authenticated(actor);
    jdbc.sql(
            """
            insert into audit_event (actor, actor_kind, actor_id, token_id, tenant, tenant_id,
                action, target, before, after, source_ip)
            values (:actor, :kind, :actorId, :tokenId, :tenant,
                (select public_id from tenant where name = :tenant), :action,
                :target, cast(:before as jsonb), cast(:after as jsonb), :ip)
            """)
        .param("ip", addresses.current(callerJwt()))
        .param("actor", actor.name())
        .param("kind", who == null ? null : who.kind().value())
        .param("actorId", who == null ? null : who.id())
        .param("tokenId", who == null ? null : who.tokenId())
        .param("tenant", tenant)
        .param("action", action)
        .param("target", target)
        .param("before", before == null ? null : json.writeValueAsString(before))
        .param("after", after == null ? null : json.writeValueAsString(after))
        .update();
  }

  /**
   * Records a change another Slipway service made (a deploy, an env change), once per {@code
   * eventId}: a retried call changes nothing.
   *
   * @return whether it was recorded now ({@code false}: recorded before)
   */
  @Transactional
  public boolean recordFor(Actor service, ServiceEvent event) {
    return jdbc.sql(
                """
                insert into audit_event (at, actor, actor_kind, actor_id, token_id, tenant,
                    tenant_id, action, target, after, source_ip, recorded_by, event_id)
                values (coalesce(:at, now()), :actor, :kind, :actorId, :tokenId, :tenant,
                    (select public_id from tenant where name = :tenant),
                    :action, :target, cast(:after as jsonb), :ip, :service, :eventId)
                on conflict (event_id) where event_id is not null do nothing
                """)
            .param("at", event.at() == null ? null : Timestamp.from(event.at()))
            .param("actor", event.actor())
            .param("kind", event.actorKind())
            .param("actorId", event.actorId())
            .param("tokenId", event.tokenId())
            .param("tenant", event.tenant())
            .param("action", event.action())
            .param("target", event.target())
            .param(
                "after", event.details() == null ? null : json.writeValueAsString(event.details()))
            .param("ip", event.sourceIp())
            .param("service", service.name())
            .param("eventId", event.eventId())
            .update()
        > 0;
  }

  /** Events matching the query, newest first. */
  @Transactional(readOnly = true)
  public AuditPage find(AuditQuery query) {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> args = new ArrayList<>();
    if (query.tenant() != null) {
      where.append(" and tenant = ?");
      args.add(query.tenant());
    }
    if (query.of() != null) {
      where.append(" and tenant_id = (select public_id from tenant where id = ?)");
      args.add(query.of().id());
    }
    if (query.actor() != null) {
      where.append(" and actor = ?");
      args.add(query.actor());
    }
    if (query.action() != null) {
      where.append(" and action = ?");
      args.add(query.action());
    }
    if (query.since() != null) {
      where.append(" and at >= ?");
      args.add(Timestamp.from(query.since()));
    }
    long total =
        jdbc.sql("select count(*) from audit_event" + where)
            .params(args)
            .query(Long.class)
            .single();
    List<Object> pageArgs = new ArrayList<>(args);
    pageArgs.add(query.size());
    pageArgs.add((long) query.page() * query.size());
    List<AuditEvent> items =
        jdbc.sql(
                "select id, at, actor, tenant, tenant_id, action, target, before::text,"
                    + " after::text, source_ip, recorded_by, actor_kind, actor_id, token_id"
                    + " from audit_event"
                    + where
                    + " order by at desc, id desc limit ? offset ?")
            .params(pageArgs)
            .query(
                (rs, row) ->
                    new AuditEvent(
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        tree(rs.getString(8)),
                        tree(rs.getString(9)),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getString(12),
                        rs.getString(13),
                        rs.getString(14)))
            .list();
    return new AuditPage(items, query.page(), query.size(), total);
  }

  /**
   * The actor as the request authenticated it (kind, user id, token id), when the request's caller
   * is the one recorded; null for a change made on nobody's request (a scheduled job).
   */
  private static AuditActor authenticated(Actor actor) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !authentication.isAuthenticated()) {
      return null;
    }
    try {
      AuditActor who = AuditActor.of(authentication);
      return who.name().equals(actor.name()) ? who : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Jwt callerJwt() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication != null && authentication.getPrincipal() instanceof Jwt jwt ? jwt : null;
  }

  private JsonNode tree(String text) {
    return text == null ? null : json.readTree(text);
  }

  /**
   * One recorded change.
   *
   * @param tenant the tenant's name when the event was recorded
   * @param tenantId that tenant's immutable id (null for platform-wide changes, and for events of a
   *     deleted tenant recorded before ids existed)
   * @param sourceIp the address the change was asked from, as the recording service saw it
   * @param recordedBy the service that recorded it, or null when tenant-service made the change
   * @param actorKind {@code user}, {@code token} or {@code service} (null for events recorded
   *     before the kind was kept, and for changes made on nobody's request)
   * @param actorId the user's id ({@code sub}), for a user
   * @param tokenId the personal access token's id, for a token
   */
  public record AuditEvent(
      long id,
      Instant at,
      String actor,
      String tenant,
      String tenantId,
      String action,
      String target,
      JsonNode before,
      JsonNode after,
      String sourceIp,
      String recordedBy,
      String actorKind,
      String actorId,
      String tokenId) {}

  /**
   * A filter over the audit trail; null members match everything.
   *
   * @param tenant events recorded under this tenant name, of every tenant that has held it (for
   *     platform admins)
   * @param of events of this one tenant, by its identity (never a deleted namesake's)
   */
  public record AuditQuery(
      String tenant, TenantRef of, String actor, String action, Instant since, int page, int size) {

    /** A filter by tenant name, for platform admins. */
    public static AuditQuery byName(
        String tenant, String actor, String action, Instant since, int page, int size) {
      return new AuditQuery(tenant, null, actor, action, since, page, size);
    }

    /** A filter to one tenant's own events. */
    public static AuditQuery of(
        TenantRef tenant, String actor, String action, Instant since, int page, int size) {
      return new AuditQuery(null, tenant, actor, action, since, page, size);
    }
  }

  /** One page of audit events. */
  public record AuditPage(List<AuditEvent> items, int page, int size, long total) {}
}
