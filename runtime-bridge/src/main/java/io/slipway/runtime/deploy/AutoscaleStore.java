package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each app's autoscaling setting, on the app's row (migration V89), so every replica sees the same
 * and a deleted app takes it with it.
 */
@Repository
class AutoscaleStore {

  private final JdbcClient jdbc;

  AutoscaleStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** An app opted in, with its bounds. */
  record Opted(AppRef ref, AutoscaleSetting.Bounds bounds) {}

  /** The app's bounds when it opted in; empty when it did not (or has no row). */
  Optional<AutoscaleSetting.Bounds> bounds(AppRef ref) {
    return jdbc.sql(
            "select autoscale_min, autoscale_max, autoscale_target from app where app_id = ?"
                + " and autoscale_min is not null")
        .param(ref.appId())
        .query((rs, row) -> new AutoscaleSetting.Bounds(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
        .optional();
  }

  /** Opts the app in with these bounds, or out with null. */
  void set(AppRef ref, AutoscaleSetting.Bounds bounds) {
    jdbc.sql(
            "update app set autoscale_min = ?, autoscale_max = ?, autoscale_target = ?"
                + " where app_id = ?")
        .params(
            bounds == null ? null : bounds.min(),
            bounds == null ? null : bounds.max(),
            bounds == null ? null : bounds.target(),
            ref.appId())
        .update();
  }

  /** Every app opted in that has a live revision, is not stopped and is not at zero. */
  List<Opted> opted() {
    return jdbc.sql(
            "select tenant, project, app, tenant_id, project_id, app_id, host_label,"
                + " autoscale_min, autoscale_max, autoscale_target from app"
                + " where autoscale_min is not null and live_revision is not null and not stopped"
                + " and not deleting and zero_revision is null")
        .query(
            (rs, row) ->
                new Opted(
                    DeploymentStore.ref(rs),
                    new AutoscaleSetting.Bounds(
                        rs.getInt("autoscale_min"),
                        rs.getInt("autoscale_max"),
                        rs.getInt("autoscale_target"))))
        .list();
  }
}
