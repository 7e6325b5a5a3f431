package io.slipway.build.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Once the service is up, measures every tenant that has builds here, in the background: what
 * changed while it was down (or before it measured at all, after an upgrade) is in the tenants'
 * usage without waiting for their next push or build.
 */
@Component
class MeasureAtStartup {

  private static final Logger log = LoggerFactory.getLogger(MeasureAtStartup.class);

  private record Tenant(String name, String id) {}

  private final JdbcClient jdbc;
  private final StorageUsage usage;

  MeasureAtStartup(JdbcClient jdbc, StorageUsage usage) {
    this.jdbc = jdbc;
    this.usage = usage;
  }

  @EventListener(ApplicationReadyEvent.class)
  void measureAll() {
    Thread.ofVirtual().name("measure-storage").start(this::measure);
  }

  private void measure() {
    try {
      measureEach();
    } catch (RuntimeException e) {
      log.warn("Could not measure the tenants' storage at start-up: {}", e.toString());
    }
  }

  private void measureEach() {
    // a tenant's latest name: the feed's deletions remove a deleted tenant's builds
    List<Tenant> tenants =
        jdbc.sql(
                "select distinct on (tenant_id) tenant, tenant_id from build"
                    + " where tenant_id is not null order by tenant_id, created_at desc")
            .query((rs, row) -> new Tenant(rs.getString(1), rs.getString(2)))
            .list();
    Map<String, String> idsByTenant = new LinkedHashMap<>();
    for (Tenant tenant : tenants) {
      usage.repositoriesChanged(tenant.name(), tenant.id());
      usage.buildStoreChanged(tenant.name(), tenant.id());
      idsByTenant.put(tenant.name(), tenant.id());
    }
    // one listing of the host's images for all of them
    usage.imagesChanged(idsByTenant);
    log.info("Measured the storage of {} tenants", tenants.size());
  }
}
