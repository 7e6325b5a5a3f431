package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What happened to each app (deploys, stops, crashes), kept in PostgreSQL, newest first. */
@Repository
class EventLog {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  private final JdbcClient jdbc;

  EventLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * One event.
   *
   * @param time when it happened
   * @param type {@code Normal} or {@code Warning}
   * @param reason one CamelCase word: {@code Deployed}, {@code OOMKilled}, ...
   * @param message what a user reads
   * @param revision the revision it concerns, if any
   */
  record Event(Instant time, String type, String reason, String message, Integer revision) {}

  void normal(AppRef ref, String reason, String message, Integer revision) {
    add(ref, NORMAL, reason, message, revision);
  }

  void warning(AppRef ref, String reason, String message, Integer revision) {
    add(ref, WARNING, reason, message, revision);
  }

  private void add(AppRef ref, String type, String reason, String message, Integer revision) {
    jdbc.sql(
            "insert into app_event (tenant, project, app, type, reason, message, revision)"
                + " values (?, ?, ?, ?, ?, ?, ?)")
        .params(ref.tenant(), ref.project(), ref.app(), type, reason, message, revision)
        .update();
  }

  /** The revision's newest event of one of these reasons. */
  Optional<Event> latestOf(AppRef ref, int revision, List<String> reasons) {
    return jdbc.sql(
            "select time, type, reason, message, revision from app_event"
                + " where tenant = ? and project = ? and app = ? and revision = ?"
                + " and reason = any(?) order by id desc limit 1")
        .params(ref.tenant(), ref.project(), ref.app(), revision, reasons.toArray(String[]::new))
        .query(EventLog::event)
        .optional();
  }

  /** The app's latest events, newest first. */
  List<Event> latest(AppRef ref, int limit) {
    return jdbc.sql(
            "select time, type, reason, message, revision from app_event"
                + " where tenant = ? and project = ? and app = ? order by id desc limit ?")
        .params(ref.tenant(), ref.project(), ref.app(), limit)
        .query(EventLog::event)
        .list();
  }

  private static Event event(ResultSet rs, int row) throws SQLException {
    return new Event(
        rs.getTimestamp("time").toInstant(),
        rs.getString("type"),
        rs.getString("reason"),
        rs.getString("message"),
        (Integer) rs.getObject("revision"));
  }
}
