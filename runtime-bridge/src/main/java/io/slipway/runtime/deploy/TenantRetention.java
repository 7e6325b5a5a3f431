package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * How many of each app's newest revisions keep their images, per tenant (migration V88): the
 * tenant's own number, within the platform's maximum, or the platform's default.
 */
@Repository
class TenantRetention {

  private final JdbcClient jdbc;
  private final int defaultRevisions;
  private final int maxRevisions;

  TenantRetention(JdbcClient jdbc, RuntimeProperties properties) {
    this.jdbc = jdbc;
    this.defaultRevisions = properties.imageRetention();
    // a default above the maximum raises the maximum: no tenant is held below the default
    this.maxRevisions = Math.max(properties.imageRetentionMax(), properties.imageRetention());
  }

  /** The platform's default, for a tenant that chose none. */
  int defaultRevisions() {
    return defaultRevisions;
  }

  /** The most a tenant may choose. */
  int maxRevisions() {
    return maxRevisions;
  }

  /** The tenant's own choice, if it made one. */
  Optional<Integer> own(String tenantId) {
    return jdbc.sql("select revisions from tenant_image_retention where tenant_id = ?")
        .param(tenantId)
        .query(Integer.class)
        .optional();
  }

  /**
   * What applies to the tenant's apps: its choice (capped by today's maximum), else the default.
   */
  int revisions(String tenantId) {
    return own(tenantId).map(n -> Math.min(n, maxRevisions)).orElse(defaultRevisions);
  }

  /** Every tenant's choice that differs from the default, by tenant id (capped by the maximum). */
  Map<String, Integer> chosen() {
    return jdbc
        .sql("select tenant_id, revisions from tenant_image_retention")
        .query((rs, n) -> Map.entry(rs.getString(1), Math.min(rs.getInt(2), maxRevisions)))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** Records the tenant's choice; null goes back to the default. */
  void set(String tenantId, Integer revisions, String by) {
    if (revisions == null) {
      forget(tenantId);
      return;
    }
    jdbc.sql(
            "insert into tenant_image_retention (tenant_id, revisions, updated_by)"
                + " values (?, ?, ?) on conflict (tenant_id) do update"
                + " set revisions = excluded.revisions, updated_by = excluded.updated_by,"
                + " updated_at = now()")
        .params(tenantId, revisions, by)
        .update();
  }

  /** The tenant was deleted: its choice goes with it. */
  void forget(String tenantId) {
    jdbc.sql("delete from tenant_image_retention where tenant_id = ?").param(tenantId).update();
  }
}
