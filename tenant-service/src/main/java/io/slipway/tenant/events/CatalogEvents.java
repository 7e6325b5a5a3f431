package io.slipway.tenant.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox of catalog events: written in the transaction that deletes (so an event exists exactly
 * when the deletion committed), read by other services through {@link CatalogEventController}.
 */
@Service
public class CatalogEvents {

  /** Any constant: the advisory lock that orders writers (see the V3 migration). */
  private static final long WRITE_LOCK = 0x736c6970_65766e74L;

  private final JdbcClient jdbc;

  CatalogEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records that a tenant was deleted; must run inside the deleting transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void tenantDeleted(String tenantId, String tenant) {
    insert(CatalogEvent.TENANT_DELETED, tenantId, null, null, tenant, null, null);
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void projectDeleted(String tenantId, String projectId, String tenant, String project) {
    insert(CatalogEvent.PROJECT_DELETED, tenantId, projectId, null, tenant, project, null);
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void appDeleted(
      String tenantId, String projectId, String appId, String tenant, String project, String app) {
    insert(CatalogEvent.APP_DELETED, tenantId, projectId, appId, tenant, project, app);
  }

  private void insert(
      String type,
      String tenantId,
      String projectId,
      String appId,
      String tenant,
      String project,
      String app) {
    // Held until commit: the next writer takes its seq only once this one is visible, so readers
    // see seqs in order and a cursor never passes over an event still being committed.
    jdbc.sql("select pg_advisory_xact_lock(?)").param(WRITE_LOCK).query().singleRow();
    jdbc.sql(
            "insert into catalog_event (type, tenant_id, project_id, app_id, tenant, project, app)"
                + " values (?, ?, ?, ?, ?, ?, ?)")
        .params(type, tenantId, projectId, appId, tenant, project, app)
        .update();
  }

  /** Up to {@code limit} events after {@code seq}, oldest first. */
  @Transactional(readOnly = true)
  public List<CatalogEvent> after(long seq, int limit) {
    return jdbc.sql("select * from catalog_event where seq > ? order by seq limit ?")
        .params(seq, limit)
        .query(CatalogEvents::event)
        .list();
  }

  private static CatalogEvent event(ResultSet rs, int row) throws SQLException {
    return new CatalogEvent(
        rs.getLong("seq"),
        rs.getString("type"),
        rs.getString("tenant_id"),
        rs.getString("project_id"),
        rs.getString("app_id"),
        rs.getString("tenant"),
        rs.getString("project"),
        rs.getString("app"),
        rs.getTimestamp("at").toInstant());
  }
}
