package io.slipway.kit.audit;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's outbox of audit events: the table {@code audit_outbox} in the service's own database
 * (each service creates it by its own migration, with the columns below). {@link #add} joins the
 * transaction in progress on the same data source, so an event is stored exactly when the change it
 * describes commits; {@link AuditRelay} sends what is stored and deletes what tenant-service has
 * recorded.
 *
 * <pre>
 * audit_outbox (id bigserial primary key, event_id varchar(100) unique not null,
 *   at timestamptz not null, event jsonb not null, attempts int not null default 0,
 *   next_attempt_at timestamptz not null default now(), last_error varchar(300),
 *   refused_at timestamptz)
 * </pre>
 */
public class AuditOutbox {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;

  public AuditOutbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores {@code event}, in the caller's transaction when there is one. */
  public void add(AuditEvent event) {
    jdbc.sql(
            "insert into audit_outbox (event_id, at, event) values (?, ?, cast(? as jsonb))"
                + " on conflict (event_id) do nothing")
        .params(event.eventId(), Timestamp.from(event.at()), JSON.writeValueAsString(event.body()))
        .update();
  }

  /** An event waiting to be sent. */
  record Pending(long id, String eventId, String json, int attempts) {}

  /**
   * Claims up to {@code limit} events that are due, oldest first, for {@code lease}: another
   * instance (or the next pass) does not take them before the lease ends, and a claim a crashed
   * sender held simply runs out.
   */
  List<Pending> claim(int limit, Duration lease) {
    return jdbc
        .sql(
            """
            update audit_outbox set next_attempt_at = now() + make_interval(secs => ?)
            where id in (select id from audit_outbox
                         where refused_at is null and next_attempt_at <= now()
                         order by id limit ? for update skip locked)
            returning id, event_id, event::text, attempts
            """)
        .params((double) lease.toMillis() / 1000, limit)
        .query(
            (rs, row) -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
        .list()
        .stream()
        .sorted(java.util.Comparator.comparingLong(Pending::id))
        .toList();
  }

  /** Claims the event {@code eventId} for {@code lease} when it is due; empty when it is not. */
  java.util.Optional<Pending> claim(String eventId, Duration lease) {
    return jdbc.sql(
            """
            update audit_outbox set next_attempt_at = now() + make_interval(secs => ?)
            where id = (select id from audit_outbox
                        where event_id = ? and refused_at is null and next_attempt_at <= now()
                        for update skip locked)
            returning id, event_id, event::text, attempts
            """)
        .params((double) lease.toMillis() / 1000, eventId)
        .query(
            (rs, row) -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
        .optional();
  }

  /** tenant-service recorded it: it leaves the outbox. */
  void delivered(long id) {
    jdbc.sql("delete from audit_outbox where id = ?").param(id).update();
  }

  /** Not delivered: tried again after {@code wait}. */
  void retryAfter(long id, Duration wait, String error) {
    jdbc.sql(
            "update audit_outbox set attempts = attempts + 1, last_error = left(?, 300),"
                + " next_attempt_at = now() + make_interval(secs => ?) where id = ?")
        .params(error, (double) wait.toMillis() / 1000, id)
        .update();
  }

  /** Not tried in this pass: due again after {@code wait}, its tries unchanged. */
  void postpone(long id, Duration wait) {
    jdbc.sql(
            "update audit_outbox set next_attempt_at = now() + make_interval(secs => ?) where id = ?")
        .params((double) wait.toMillis() / 1000, id)
        .update();
  }

  /** Refused as invalid: kept (for the operator) but never sent again. */
  void refused(long id) {
    jdbc.sql(
            "update audit_outbox set attempts = attempts + 1, refused_at = now(),"
                + " last_error = 'refused by tenant-service' where id = ?")
        .param(id)
        .update();
  }

  /** How many events wait to be sent (refused ones not counted). */
  public long pending() {
    return jdbc.sql("select count(*) from audit_outbox where refused_at is null")
        .query(Long.class)
        .single();
  }
}
