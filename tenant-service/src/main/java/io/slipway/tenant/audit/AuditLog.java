package io.slipway.tenant.audit;

import io.slipway.tenant.access.Actor;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail: who changed what, when, and the state before and after. Records join the
 * caller's transaction, so a change and its audit event commit or roll back together.
 */
@Service
public class AuditLog {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  AuditLog(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * Records one change.
   *
   * @param tenant the tenant's name, or null for platform-wide changes
   * @param action a stable verb such as {@code project.created} or {@code quota.updated}
   * @param target the changed object's path, e.g. {@code acme/web/api}
   * @param before the state before (null when created); serialized as JSON
   * @param after the state after (null when deleted); serialized as JSON
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void record(
      Actor actor, String tenant, String action, String target, Object before, Object after) {
    jdbc.sql(
            """
            insert into audit_event (actor, tenant, action, target, before, after)
            values (:actor, :tenant, :action, :target, cast(:before as jsonb), cast(:after as jsonb))
            """)
        .param("actor", actor.name())
        .param("tenant", tenant)
        .param("action", action)
        .param("target", target)
        .param("before", before == null ? null : json.writeValueAsString(before))
        .param("after", after == null ? null : json.writeValueAsString(after))
        .update();
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
                "select id, at, actor, tenant, action, target, before::text, after::text"
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
                        tree(rs.getString(7)),
                        tree(rs.getString(8))))
            .list();
    return new AuditPage(items, query.page(), query.size(), total);
  }

  private JsonNode tree(String text) {
    return text == null ? null : json.readTree(text);
  }

  /** One recorded change. */
  public record AuditEvent(
      long id,
      Instant at,
      String actor,
      String tenant,
      String action,
      String target,
      JsonNode before,
      JsonNode after) {}

  /** A filter over the audit trail; null members match everything. */
  public record AuditQuery(
      String tenant, String actor, String action, Instant since, int page, int size) {}

  /** One page of audit events. */
  public record AuditPage(List<AuditEvent> items, int page, int size, long total) {}
}
