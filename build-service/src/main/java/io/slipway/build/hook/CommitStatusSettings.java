package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
import io.slipway.build.tenant.AppIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The per-app commit status settings, in build-service's database: the forge, its API URL and the
 * sealed token ({@link ForgeTokens}), with how the last delivery went. A setting made for an
 * earlier app of the same names (deleted since, its ids not these) is never this app's.
 */
@Component
class CommitStatusSettings {

  /** A setting as stored; {@code tokenSealed} opens only with {@link ForgeTokens}. */
  record Stored(
      Forge forge, String apiUrl, String tokenSealed, String appId, LastDelivery lastDelivery) {}

  /** How the last status posted for the app ended. */
  record LastDelivery(Instant at, String state, String outcome) {}

  private final JdbcClient jdbc;

  CommitStatusSettings(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Stored> find(AppRef app, String appId) {
    return jdbc.sql(
            """
            select forge, api_url, token_sealed, app_id, last_delivery_at, last_delivery_state,
                   last_delivery_outcome
              from commit_status_setting
             where tenant = :t and project = :p and app = :a and app_id = :id
            """)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("id", appId)
        .query(CommitStatusSettings::stored)
        .optional();
  }

  void put(AppRef app, AppIds ids, Forge forge, String apiUrl, String tokenSealed) {
    // a new setting starts without an earlier one's last delivery
    jdbc.sql(
            """
            insert into commit_status_setting
              (tenant, project, app, tenant_id, project_id, app_id, forge, api_url, token_sealed)
            values (:t, :p, :a, :tid, :pid, :aid, :f, :u, :s)
            on conflict (tenant, project, app) do update
              set tenant_id = excluded.tenant_id, project_id = excluded.project_id,
                  app_id = excluded.app_id, forge = excluded.forge, api_url = excluded.api_url,
                  token_sealed = excluded.token_sealed, updated_at = now(),
                  last_delivery_at = null, last_delivery_state = null,
                  last_delivery_outcome = null
            """)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("tid", ids.tenantId())
        .param("pid", ids.projectId())
        .param("aid", ids.appId())
        .param("f", forge.value())
        .param("u", apiUrl)
        .param("s", tokenSealed)
        .update();
  }

  boolean delete(AppRef app) {
    return jdbc.sql(
                "delete from commit_status_setting"
                    + " where tenant = :t and project = :p and app = :a")
            .param("t", app.tenant())
            .param("p", app.project())
            .param("a", app.app())
            .update()
        > 0;
  }

  void recordDelivery(AppRef app, String appId, String state, String outcome) {
    jdbc.sql(
            """
            update commit_status_setting
               set last_delivery_at = now(), last_delivery_state = :state,
                   last_delivery_outcome = :outcome
             where tenant = :t and project = :p and app = :a and app_id = :id
            """)
        .param("state", state)
        .param("outcome", outcome)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("id", appId)
        .update();
  }

  private static Stored stored(ResultSet row, int n) throws SQLException {
    java.sql.Timestamp at = row.getTimestamp("last_delivery_at");
    return new Stored(
        Forge.of(row.getString("forge")),
        row.getString("api_url"),
        row.getString("token_sealed"),
        row.getString("app_id"),
        at == null
            ? null
            : new LastDelivery(
                at.toInstant(),
                row.getString("last_delivery_state"),
                row.getString("last_delivery_outcome")));
  }
}
