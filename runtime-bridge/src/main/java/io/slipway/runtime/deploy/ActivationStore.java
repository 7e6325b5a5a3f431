package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Functions' activations (migration V90), one row per invocation, and their retention. */
@Repository
class ActivationStore {

  private static final String COLUMNS =
      "id, revision, trigger, started_at, duration_ms, status, http_status, result_bytes, error";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  ActivationStore(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  /**
   * One invocation as recorded.
   *
   * @param logs the lines the handler wrote (null when listed: the list leaves them out)
   */
  record Activation(
      String id,
      int revision,
      String trigger,
      Instant startedAt,
      long durationMs,
      String status,
      int httpStatus,
      long resultBytes,
      String error,
      String logs) {}

  /** An activation to record, of this app. */
  record Recorded(AppRef ref, Activation activation) {}

  /** Writes these activations in one batch. */
  void insert(List<Recorded> batch) {
    template.batchUpdate(
        "insert into function_activation (id, tenant_id, project_id, app_id, revision, trigger,"
            + " started_at, duration_ms, status, http_status, result_bytes, error, logs)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
        batch,
        batch.size(),
        (ps, r) -> {
          Activation a = r.activation();
          ps.setString(1, a.id());
          ps.setString(2, r.ref().tenantId());
          ps.setString(3, r.ref().projectId());
          ps.setString(4, r.ref().appId());
          ps.setInt(5, a.revision());
          ps.setString(6, a.trigger());
          ps.setTimestamp(7, Timestamp.from(a.startedAt()));
          ps.setLong(8, a.durationMs());
          ps.setString(9, a.status());
          ps.setInt(10, a.httpStatus());
          ps.setLong(11, a.resultBytes());
          ps.setString(12, a.error());
          ps.setString(13, a.logs());
        });
  }

  /**
   * The app's activations, newest first, without logs: at most {@code limit}, of one {@code status}
   * when given, those started before activation {@code before} of the same app when given (an id of
   * another app names nothing, so the list is empty).
   */
  List<Activation> list(AppRef ref, int limit, String before, String status) {
    StringBuilder sql =
        new StringBuilder("select ")
            .append(COLUMNS)
            .append(" from function_activation a where app_id = ?");
    List<Object> params = new ArrayList<>(List.of(ref.appId()));
    if (status != null) {
      sql.append(" and status = ?");
      params.add(status);
    }
    if (before != null) {
      sql.append(
          " and exists (select 1 from function_activation b where b.id = ? and b.app_id ="
              + " a.app_id and (a.started_at, a.id) < (b.started_at, b.id))");
      params.add(before);
    }
    sql.append(" order by started_at desc, id desc limit ?");
    params.add(limit);
    return jdbc.sql(sql.toString()).params(params).query((rs, row) -> activation(rs, false)).list();
  }

  /** One activation of the app, with its logs; empty for an id of any other app. */
  Optional<Activation> get(AppRef ref, String id) {
    return jdbc.sql(
            "select " + COLUMNS + ", logs from function_activation where app_id = ? and id = ?")
        .params(ref.appId(), id)
        .query((rs, row) -> activation(rs, true))
        .optional();
  }

  /**
   * Forgets activations started before {@code olderThan} and those of apps the bridge no longer
   * holds. Returns how many went. Idempotent: replicas pruning at once delete what is there to
   * delete once.
   */
  int pruneOld(Instant olderThan) {
    return jdbc.sql(
            "delete from function_activation where started_at < ? or app_id not in (select"
                + " app_id from app where app_id is not null)")
        .param(Timestamp.from(olderThan))
        .update();
  }

  /** Forgets all but the tenant's newest {@code keep} activations; returns how many went. */
  int pruneBeyond(String tenantId, int keep) {
    return jdbc.sql(
            "delete from function_activation where tenant_id = ? and id in (select id from"
                + " function_activation where tenant_id = ? order by started_at desc, id desc"
                + " offset ?)")
        .params(tenantId, tenantId, keep)
        .update();
  }

  /** How many activations a tenant keeps, under its id and name. */
  record Kept(String tenantId, String tenant, long count) {}

  /**
   * Every tenant that keeps activations, named as its apps are (activations of apps gone have no
   * name: {@link #pruneOld} forgets them first).
   */
  List<Kept> kept() {
    return jdbc.sql(
            "select f.tenant_id, min(a.tenant), count(*) from function_activation f"
                + " join app a on a.app_id = f.app_id group by f.tenant_id")
        .query((rs, row) -> new Kept(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list();
  }

  /** What was last reported to tenant-service of each tenant's activations. */
  List<Kept> reported() {
    return jdbc.sql("select tenant_id, tenant, reported from function_activation_usage")
        .query((rs, row) -> new Kept(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list();
  }

  /** Remembers the count tenant-service took. */
  void recordReported(Kept kept) {
    jdbc.sql(
            "insert into function_activation_usage (tenant_id, tenant, reported) values (?, ?, ?)"
                + " on conflict (tenant_id) do update set tenant = excluded.tenant,"
                + " reported = excluded.reported")
        .params(kept.tenantId(), kept.tenant(), kept.count())
        .update();
  }

  /** Forgets a tenant tenant-service no longer has. */
  void forgetReported(String tenantId) {
    jdbc.sql("delete from function_activation_usage where tenant_id = ?").param(tenantId).update();
  }

  /** How many activations the tenant keeps now. */
  long count(String tenantId) {
    return jdbc.sql("select count(*) from function_activation where tenant_id = ?")
        .param(tenantId)
        .query(Long.class)
        .single();
  }

  private static Activation activation(ResultSet rs, boolean withLogs) throws SQLException {
    return new Activation(
        rs.getString("id"),
        rs.getInt("revision"),
        rs.getString("trigger"),
        rs.getTimestamp("started_at").toInstant(),
        rs.getLong("duration_ms"),
        rs.getString("status"),
        rs.getInt("http_status"),
        rs.getLong("result_bytes"),
        rs.getString("error"),
        withLogs ? rs.getString("logs") : null);
  }
}
