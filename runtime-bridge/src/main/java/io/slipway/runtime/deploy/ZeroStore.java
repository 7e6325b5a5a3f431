package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.time.Duration;
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

  /** An app opted in, its idle period, and the revision it is at zero with (null: awake). */
  record Opted(AppRef ref, Duration idleAfter, Integer atZero) {}

  /** The app's idle period when it opted in; empty when it did not (or has no row). */
  Optional<Duration> idleAfter(AppRef ref) {
    return jdbc.sql("select zero_idle_seconds from app where app_id = ?")
        .param(ref.appId())
        .query((rs, row) -> (Integer) rs.getObject(1))
        .optional()
        .flatMap(Optional::ofNullable)
        .map(Duration::ofSeconds);
  }

  /** Opts the app in with this idle period; {@link #optOut} opts it out. */
  void optIn(AppRef ref, Duration idleAfter) {
    jdbc.sql("update app set zero_idle_seconds = ? where app_id = ?")
        .params((int) idleAfter.toSeconds(), ref.appId())
        .update();
  }

  /** Opts the app out; the caller wakes it first when it was at zero. */
  void optOut(AppRef ref) {
    jdbc.sql(
            "update app set zero_idle_seconds = null, zero_revision = null, zero_since = null"
                + " where app_id = ?")
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

  /** Records that the app's revision is at zero. */
  void toZero(AppRef ref, int revision) {
    jdbc.sql("update app set zero_revision = ?, zero_since = now() where app_id = ?")
        .params(revision, ref.appId())
        .update();
  }

  /** The app is awake (or was started, stopped or deployed): nothing of it is at zero. */
  void awake(AppRef ref) {
    jdbc.sql("update app set zero_revision = null, zero_since = null where app_id = ?")
        .param(ref.appId())
        .update();
  }

  /** Every app opted in that has a live revision and is not stopped. */
  List<Opted> opted() {
    return jdbc.sql(
            "select "
                + REF
                + ", zero_idle_seconds, zero_revision from app where zero_idle_seconds is not null"
                + " and live_revision is not null and not stopped and not deleting")
        .query(
            (rs, row) ->
                new Opted(
                    DeploymentStore.ref(rs),
                    Duration.ofSeconds(rs.getInt("zero_idle_seconds")),
                    (Integer) rs.getObject("zero_revision")))
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
