package io.slipway.runtime.deploy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Developers' one-off runs ({@code app_run}), newest first. */
@Repository
class RunStore {

  private static final String COLUMNS =
      "id, revision, command, run_by, started_at, finished_at, exit_code, timed_out, output,"
          + " cron_entry";

  /**
   * One run, as the API shows it.
   *
   * @param finishedAt null while it runs
   * @param exitCode null while it runs, when it timed out, or when it was cut short
   * @param output its last output (stdout and stderr), at most 64 KiB
   * @param durationMs how long it ran; null while it runs
   * @param cronEntry the app.json cron entry that ran it; null for a developer's run
   */
  record Run(
      String id,
      int revision,
      String command,
      String runBy,
      Instant startedAt,
      Instant finishedAt,
      Integer exitCode,
      boolean timedOut,
      String output,
      Long durationMs,
      String cronEntry) {}

  /** A run its bridge did not see to the end: what it still holds. */
  record Unfinished(String id, String tenant, String reservationKey) {}

  private final JdbcClient jdbc;

  RunStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A run's row; {@code firing} (null: none) is the cron entry's firing that started it. */
  void started(
      String id,
      String appId,
      String tenant,
      int revision,
      String command,
      String runBy,
      Instant startedAt,
      Instant deadline,
      String reservationKey,
      CronFiring firing) {
    jdbc.sql(
            "insert into app_run (id, app_id, tenant, revision, command, run_by, started_at,"
                + " deadline, reservation_key, cron_entry, cron_due)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            id,
            appId,
            tenant,
            revision,
            command,
            runBy,
            Timestamp.from(startedAt),
            Timestamp.from(deadline),
            reservationKey,
            firing == null ? null : firing.entryId(),
            firing == null ? null : Timestamp.from(firing.dueAt()))
        .update();
  }

  /** The run of the cron entry that has not ended yet, if any. */
  Optional<String> running(String appId, String entryId) {
    return jdbc.sql(
            "select id from app_run where app_id = ? and cron_entry = ? and finished_at is null"
                + " limit 1")
        .params(appId, entryId)
        .query(String.class)
        .optional();
  }

  /** Records how the run ended; its reservation is released, so the key goes. */
  Run finished(String id, Instant at, Integer exitCode, boolean timedOut, String output) {
    jdbc.sql(
            "update app_run set finished_at = ?, exit_code = ?, timed_out = ?, output = ?,"
                + " reservation_key = null where id = ?")
        .params(Timestamp.from(at), exitCode, timedOut, output, id)
        .update();
    return jdbc.sql("select " + COLUMNS + " from app_run where id = ?")
        .param(id)
        .query(RunStore::run)
        .single();
  }

  /** The app's run {@code id}. */
  Optional<Run> find(String appId, String id) {
    return jdbc.sql("select " + COLUMNS + " from app_run where app_id = ? and id = ?")
        .params(appId, id)
        .query(RunStore::run)
        .optional();
  }

  /** One page of the app's runs, newest first. */
  List<Run> page(String appId, int page, int size) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from app_run where app_id = ? order by started_at desc, id limit ? offset ?")
        .params(appId, size, (long) page * size)
        .query(RunStore::run)
        .list();
  }

  long count(String appId) {
    return jdbc.sql("select count(*) from app_run where app_id = ?")
        .param(appId)
        .query(Long.class)
        .single();
  }

  /** Runs nobody finished whose deadline has passed: their bridge stopped while they ran. */
  List<Unfinished> overdue(Instant now) {
    return jdbc.sql(
            "select id, tenant, reservation_key from app_run"
                + " where finished_at is null and deadline < ?")
        .param(Timestamp.from(now))
        .query(
            (rs, n) ->
                new Unfinished(
                    rs.getString("id"), rs.getString("tenant"), rs.getString("reservation_key")))
        .list();
  }

  /**
   * One time a cron entry came due.
   *
   * @param entryId the entry's {@link io.slipway.runtime.model.CronEntry#id}
   * @param dueAt when it came due (a minute's start, UTC)
   */
  record CronFiring(String entryId, Instant dueAt) {}

  static Run run(ResultSet rs, int n) throws SQLException {
    Instant started = rs.getTimestamp("started_at").toInstant();
    Timestamp finished = rs.getTimestamp("finished_at");
    int exit = rs.getInt("exit_code");
    Integer exitCode = rs.wasNull() ? null : exit;
    return new Run(
        rs.getString("id"),
        rs.getInt("revision"),
        rs.getString("command"),
        rs.getString("run_by"),
        started,
        finished == null ? null : finished.toInstant(),
        exitCode,
        rs.getBoolean("timed_out"),
        rs.getString("output"),
        finished == null ? null : finished.toInstant().toEpochMilli() - started.toEpochMilli(),
        rs.getString("cron_entry"));
  }
}
