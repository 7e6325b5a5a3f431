package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The numbered desired-state changes of apps (scale, stop, start) in PostgreSQL: how many were
 * recorded, how many the reconciler applied, and how the last one it applied came out.
 */
@Repository
class AppChangeStore {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;

  AppChangeStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A change recorded but not applied yet: the newest one's number, and what applying it needs. */
  record Unapplied(int change, Acceptance acceptance) {}

  /**
   * How a change stands: {@code pending} until the reconciler applied it (or a later change), then
   * {@code applied}, or {@code failed} with the reason when it was the last applied and did not
   * come out as asked.
   */
  record State(int change, String status, String reason) {

    static final String PENDING = "pending";
    static final String APPLIED = "applied";
    static final String FAILED = "failed";

    boolean settled() {
      return !PENDING.equals(status);
    }
  }

  /** Numbers a new desired change of the app and keeps what applying it needs; its number. */
  int desire(AppRef ref, Acceptance acceptance) {
    return jdbc.sql(
            "update app set desired_change = desired_change + 1, change_accepted = ?::jsonb"
                + " where app_id = ? returning desired_change")
        .params(JSON.writeValueAsString(acceptance), ref.appId())
        .query(Integer.class)
        .single();
  }

  /** The app's newest change when the reconciler has not applied it yet. */
  Optional<Unapplied> unapplied(AppRef ref) {
    return jdbc.sql(
            "select desired_change, change_accepted::text as accepted from app"
                + " where app_id = ? and desired_change > applied_change")
        .params(ref.appId())
        .query(
            (rs, row) -> {
              String accepted = rs.getString("accepted");
              return new Unapplied(
                  rs.getInt("desired_change"),
                  accepted == null
                      ? Acceptance.of("Changed", "", 0, false, null)
                      : JSON.readValue(accepted, Acceptance.class));
            })
        .optional();
  }

  /** Changes up to {@code change} are applied; {@code failure} says why it failed (null: not). */
  void applied(AppRef ref, int change, String failure) {
    jdbc.sql(
            "update app set applied_change = greatest(applied_change, ?), change_failure = ?"
                + " where app_id = ?")
        .params(change, failure, ref.appId())
        .update();
  }

  /** The apps with a change the reconciler has not applied. */
  List<AppRef> withUnapplied() {
    return jdbc.sql(
            "select tenant, project, app, tenant_id, project_id, app_id, host_label from app"
                + " where desired_change > applied_change and app_id is not null")
        .query((rs, row) -> DeploymentStore.ref(rs))
        .list();
  }

  /** Change {@code change} of the app; empty when it never had one of that number. */
  Optional<State> state(AppRef ref, int change) {
    record Row(int desired, int applied, String failure) {}
    return jdbc.sql(
            "select desired_change, applied_change, change_failure from app where app_id = ?")
        .params(ref.appId())
        .query(
            (rs, row) ->
                new Row(
                    rs.getInt("desired_change"),
                    rs.getInt("applied_change"),
                    rs.getString("change_failure")))
        .optional()
        .filter(row -> change >= 1 && change <= row.desired())
        .map(
            row -> {
              if (change > row.applied()) {
                return new State(change, State.PENDING, null);
              }
              return change == row.applied() && row.failure() != null
                  ? new State(change, State.FAILED, row.failure())
                  : new State(change, State.APPLIED, null);
            });
  }
}
