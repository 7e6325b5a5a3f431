package io.slipway.build.egress;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each tenant's choice of build egress, by tenant id (a tenant registered again under a deleted
 * one's name starts from the platform's default). No row: the platform's default. A deleted
 * tenant's row goes with it (CatalogEventConsumer).
 */
@Component
class BuildEgressSettings {

  /** A tenant's own choice: on or off, who chose it and when. */
  record Choice(boolean enabled, String changedBy, Instant changedAt) {}

  private final JdbcClient jdbc;
  private final EgressProperties properties;

  BuildEgressSettings(JdbcClient jdbc, EgressProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /** Whether the tenant's builds may reach package registries now. */
  boolean enabled(String tenantId) {
    return choice(tenantId).map(Choice::enabled).orElse(properties.enabledByDefault());
  }

  Optional<Choice> choice(String tenantId) {
    return jdbc.sql(
            "select enabled, changed_by, changed_at from build_egress_tenant where tenant = ?")
        .param(tenantId)
        .query(
            (rs, row) ->
                new Choice(
                    rs.getBoolean("enabled"),
                    rs.getString("changed_by"),
                    rs.getTimestamp("changed_at").toInstant()))
        .optional();
  }

  void choose(String tenantId, boolean enabled, String by) {
    jdbc.sql(
            """
            insert into build_egress_tenant (tenant, enabled, changed_by, changed_at)
            values (?, ?, ?, now())
            on conflict (tenant) do update
              set enabled = excluded.enabled, changed_by = excluded.changed_by,
                  changed_at = excluded.changed_at
            """)
        .params(tenantId, enabled, by)
        .update();
  }
}
