package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The firings of apps' cron entries ({@code cron_firing}, V82): one row per entry and due time,
 * claimed by the first replica to insert it, holding the run it started or why it was skipped.
 */
@Repository
class CronStore {

  /**
   * One firing as the API lists it.
   *
   * @param dueAt when the entry came due
   * @param status {@code running}, {@code succeeded}, {@code failed} (a non-zero exit code), {@code
   *     timed-out}, {@code not-completed} (no exit code: not run for the quota, or cut short), or
   *     {@code skipped} (its previous run still ran)
   * @param runId the run ({@code GET .../runs/{id}} has its output); null when skipped
   * @param exitCode the run's exit code, when it has one
   * @param startedAt when the run started; null when skipped
   * @param durationMs how long it ran; null while it runs or when skipped
   * @param reason why it was skipped
   */
  record Firing(
      Instant dueAt,
      String status,
      String runId,
      Integer exitCode,
      Instant startedAt,
      Long durationMs,
      String reason) {}

  private final JdbcClient jdbc;

  CronStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Within the caller's transaction: waits for any other replica working on the same entry, so a
   * firing's claim, its check on the previous run and its run's row happen as one step.
   */
  void lockEntry(String appId, String entryId) {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
        .param(appId + "/" + entryId)
        .query((rs, n) -> 1)
        .list();
  }

  /** Claims the firing; false when a replica (this one included) claimed it before. */
  boolean claim(String appId, String entryId, Instant dueAt, String schedule) {
    return jdbc.sql(
                "insert into cron_firing (app_id, entry_id, due_at, schedule) values (?, ?, ?, ?)"
                    + " on conflict do nothing")
            .params(appId, entryId, Timestamp.from(dueAt), schedule)
            .update()
        == 1;
  }

  /**
   * Whether {@code revision} is still the live revision of a running app, holding the app's row
   * until the transaction ends, so a stop waits for the run's row and then removes its container.
   */
  boolean runs(AppRef ref, int revision) {
    return jdbc.sql(
            "select 1 from app where app_id = ? and live_revision = ? and not stopped for share")
        .params(ref.appId(), revision)
        .query((rs, n) -> 1)
        .optional()
        .isPresent();
  }

  void ran(String appId, String entryId, Instant dueAt, String runId) {
    jdbc.sql("update cron_firing set run_id = ? where app_id = ? and entry_id = ? and due_at = ?")
        .params(runId, appId, entryId, Timestamp.from(dueAt))
        .update();
  }

  void skipped(String appId, String entryId, Instant dueAt, String reason) {
    jdbc.sql("update cron_firing set skipped = ? where app_id = ? and entry_id = ? and due_at = ?")
        .params(reason, appId, entryId, Timestamp.from(dueAt))
        .update();
  }

  /**
   * When the app was last started after a stop (its {@code Started} event): firings due while it
   * was stopped are not made up for.
   */
  Optional<Instant> lastStarted(AppRef ref) {
    return jdbc.sql(
            "select time from app_event where tenant = ? and project = ? and app = ?"
                + " and reason = 'Started' order by id desc limit 1")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Timestamp.class)
        .optional()
        .map(Timestamp::toInstant);
  }

  /** The entry's last {@code limit} firings, newest first. */
  List<Firing> last(String appId, String entryId, int limit) {
    return jdbc.sql(
            "select f.due_at, f.run_id, f.skipped, r.started_at, r.finished_at, r.exit_code,"
                + " r.timed_out from cron_firing f left join app_run r on r.id = f.run_id"
                + " where f.app_id = ? and f.entry_id = ? order by f.due_at desc limit ?")
        .params(appId, entryId, limit)
        .query(CronStore::firing)
        .list();
  }

  private static Firing firing(ResultSet rs, int n) throws SQLException {
    Instant due = rs.getTimestamp("due_at").toInstant();
    String runId = rs.getString("run_id");
    if (runId == null) {
      return new Firing(due, "skipped", null, null, null, null, rs.getString("skipped"));
    }
    Instant started = rs.getTimestamp("started_at").toInstant();
    Timestamp finished = rs.getTimestamp("finished_at");
    int exit = rs.getInt("exit_code");
    Integer exitCode = rs.wasNull() ? null : exit;
    String status;
    if (finished == null) {
      status = "running";
    } else if (exitCode != null) {
      status = exitCode == 0 ? "succeeded" : "failed";
    } else {
      status = rs.getBoolean("timed_out") ? "timed-out" : "not-completed";
    }
    return new Firing(
        due,
        status,
        runId,
        exitCode,
        started,
        finished == null ? null : finished.toInstant().toEpochMilli() - started.toEpochMilli(),
        null);
  }
}
