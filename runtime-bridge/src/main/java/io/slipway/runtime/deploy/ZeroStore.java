package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each app's scale-to-zero setting and whether its live revision is at zero, on the app's row
 * (migration V86), so every replica sees the same and a deleted app takes them with it.
 */
@Repository
class ZeroStore {

  private static final String REF =
      "tenant, project, app, tenant_id, project_id, app_id, host_label";

  private final JdbcClient jdbc;

  ZeroStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * An app opted in, its periods, the revision it is at zero with (null: awake), whether that
   * revision is paused rather than stopped, and since when it is so.
   */
  record Opted(
      AppRef ref,
      ScaleToZeroSetting.Periods periods,
      Integer atZero,
      boolean paused,
      Instant since) {}

  /** The app's periods when it opted in; empty when it did not (or has no row). */
  Optional<ScaleToZeroSetting.Periods> periods(AppRef ref) {
    return jdbc.sql("select zero_idle_seconds, zero_paused_seconds from app where app_id = ?")
        .param(ref.appId())
        .query((rs, row) -> rs.getObject(1) == null ? null : periods(rs))
        .optional()
        .flatMap(Optional::ofNullable);
  }

  private static ScaleToZeroSetting.Periods periods(ResultSet rs) throws SQLException {
    return new ScaleToZeroSetting.Periods(
        Duration.ofSeconds(rs.getInt("zero_idle_seconds")),
        Duration.ofSeconds(rs.getInt("zero_paused_seconds")));
  }

  /** Opts the app in with these periods; {@link #optOut} opts it out. */
  void optIn(AppRef ref, ScaleToZeroSetting.Periods periods) {
    jdbc.sql("update app set zero_idle_seconds = ?, zero_paused_seconds = ? where app_id = ?")
        .params(
            (int) periods.idleAfter().toSeconds(),
            (int) periods.pausedFor().toSeconds(),
            ref.appId())
        .update();
  }

  /** Opts the app out; the caller wakes it first when it was at zero. */
  void optOut(AppRef ref) {
    jdbc.sql(
            "update app set zero_idle_seconds = null, zero_paused_seconds = 0, zero_revision ="
                + " null, zero_since = null, zero_paused = false where app_id = ?")
        .param(ref.appId())
        .update();
  }

  /** Whether this revision of the app is at zero: its instances stopped on purpose. */
  boolean atZero(AppSpec spec) {
    return jdbc.sql("select 1 from app where app_id = ? and zero_revision = ?")
        .params(spec.ref().appId(), spec.revision())
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  /** The revision the app is at zero with, if any. */
  Optional<Integer> zeroRevision(AppRef ref) {
    return jdbc.sql("select zero_revision from app where app_id = ?")
        .param(ref.appId())
        .query((rs, row) -> (Integer) rs.getObject(1))
        .optional()
        .flatMap(Optional::ofNullable);
  }

  /** Records that the app's revision is at zero, its instances stopped. */
  void toZero(AppRef ref, int revision) {
    jdbc.sql(
            "update app set zero_revision = ?, zero_since = now(), zero_paused = false"
                + " where app_id = ?")
        .params(revision, ref.appId())
        .update();
  }

  /**
   * Records that the app's revision is at zero, its instances paused as of {@code at} (the idle
   * pass's clock, which also decides when the paused stage is over).
   */
  void toPaused(AppRef ref, int revision, Instant at) {
    jdbc.sql(
            "update app set zero_revision = ?, zero_since = ?, zero_paused = true"
                + " where app_id = ?")
        // PostgreSQL keeps microseconds and rounds: a time rounded up would end the stage late
        .params(revision, Timestamp.from(at.truncatedTo(ChronoUnit.MICROS)), ref.appId())
        .update();
  }

  /** Where the app is on its way to zero. */
  enum Stage {
    AWAKE,
    PAUSED,
    STOPPED
  }

  /** The app's stage: awake unless a revision of it is at zero, paused or stopped. */
  Stage stage(AppRef ref) {
    return jdbc.sql("select zero_revision is not null, zero_paused from app where app_id = ?")
        .param(ref.appId())
        .query(
            (rs, row) ->
                !rs.getBoolean(1) ? Stage.AWAKE : rs.getBoolean(2) ? Stage.PAUSED : Stage.STOPPED)
        .optional()
        .orElse(Stage.AWAKE);
  }

  /** Whether this revision of the app is at zero paused (its instances frozen, not stopped). */
  boolean paused(AppSpec spec) {
    return pausedSince(spec).isPresent();
  }

  /** Since when this revision of the app is paused at zero; empty when it is not. */
  Optional<Instant> pausedSince(AppSpec spec) {
    return jdbc.sql(
            "select zero_since from app where app_id = ? and zero_revision = ? and zero_paused")
        .params(spec.ref().appId(), spec.revision())
        .query((rs, row) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  /** The app is awake (or was started, stopped or deployed): nothing of it is at zero. */
  void awake(AppRef ref) {
    jdbc.sql(
            "update app set zero_revision = null, zero_since = null, zero_paused = false"
                + " where app_id = ?")
        .param(ref.appId())
        .update();
  }

  /** Every app opted in that has a live revision and is not stopped. */
  List<Opted> opted() {
    return jdbc.sql(
            "select "
                + REF
                + ", zero_idle_seconds, zero_paused_seconds, zero_revision, zero_paused, zero_since"
                + " from app where zero_idle_seconds is not null and live_revision is not null"
                + " and not stopped and not deleting")
        .query(
            (rs, row) ->
                new Opted(
                    DeploymentStore.ref(rs),
                    periods(rs),
                    (Integer) rs.getObject("zero_revision"),
                    rs.getBoolean("zero_paused"),
                    Optional.ofNullable(rs.getTimestamp("zero_since"))
                        .map(Timestamp::toInstant)
                        .orElse(null)))
        .list();
  }

  /** The app with this id, if the bridge holds it. */
  Optional<AppRef> byId(String appId) {
    return jdbc.sql("select " + REF + " from app where app_id = ?")
        .param(appId)
        .query((rs, row) -> DeploymentStore.ref(rs))
        .optional();
  }
}
