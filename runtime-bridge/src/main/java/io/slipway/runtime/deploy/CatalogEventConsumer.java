package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.egress.ProjectEgress;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.Router;
import io.slipway.runtime.tenant.CatalogEvent;
import io.slipway.runtime.tenant.TenantApi;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies tenant-service's deletions: for a deleted tenant, project or app, every app of it is
 * stopped and removed with its route, reservations, domains, revisions, events and configuration,
 * and then its project networks or namespaces. Events are read from tenant-service's internal feed
 * after the cursor stored in this bridge's database, and the cursor moves past an event only once
 * it is applied: a bridge that was down, or failed half-way, applies it again (every step is
 * idempotent) and catches up.
 */
@Component
public class CatalogEventConsumer {

  private static final Logger log = LoggerFactory.getLogger(CatalogEventConsumer.class);
  private static final String FEED = "tenant-service";
  private static final int PAGE = 100;

  private final TenantApi tenants;
  private final DeploymentStore store;
  private final AppLifecycle lifecycle;
  private final RuntimeDriver driver;
  private final Router router;
  private final JdbcClient jdbc;
  private final ProjectEgress egress;

  CatalogEventConsumer(
      TenantApi tenants,
      DeploymentStore store,
      AppLifecycle lifecycle,
      RuntimeDriver driver,
      Router router,
      JdbcClient jdbc,
      ProjectEgress egress) {
    this.tenants = tenants;
    this.store = store;
    this.lifecycle = lifecycle;
    this.driver = driver;
    this.router = router;
    this.jdbc = jdbc;
    this.egress = egress;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.catalog-events-interval:5s}",
      initialDelayString = "${slipway.runtime.catalog-events-interval:5s}")
  void scheduled() {
    try {
      catchUp();
    } catch (RuntimeException e) {
      log.warn("Applying catalog events failed; trying again on the next pass: {}", e.getMessage());
    }
  }

  /** Applies every event after the stored cursor; returns how many it applied. */
  public synchronized int catchUp() {
    long cursor = cursor();
    int applied = 0;
    while (true) {
      List<CatalogEvent> page = tenants.events(cursor, PAGE);
      for (CatalogEvent event : page) {
        apply(event);
        cursor = event.seq();
        saveCursor(cursor);
        applied++;
      }
      if (page.size() < PAGE) {
        return applied;
      }
    }
  }

  private void apply(CatalogEvent event) {
    log.info(
        "Removing what runs of deleted {} {}",
        event.type(),
        event.appId() != null
            ? event.appId()
            : event.projectId() != null ? event.projectId() : event.tenantId());
    Predicate<AppRef> deleted = ref -> matches(event, ref);
    for (AppRef ref : store.apps(event.tenantId(), event.projectId(), event.appId())) {
      lifecycle.delete(ref);
    }
    // what runs or is routed without a row (a bridge that died between the two)
    driver.apps().stream().filter(deleted).forEach(driver::removeApp);
    router.routed().stream().filter(deleted).forEach(router::unroute);
    if (event.appId() == null) {
      if (event.projectId() != null) {
        driver.removeProject(event.projectId());
        egress.forgetProject(event.projectId());
      } else {
        driver.removeTenant(event.tenantId());
        egress.forgetTenant(event.tenantId());
      }
    }
  }

  private static boolean matches(CatalogEvent event, AppRef ref) {
    if (event.appId() != null) {
      return event.appId().equals(ref.appId());
    }
    if (event.projectId() != null) {
      return event.projectId().equals(ref.projectId());
    }
    return event.tenantId().equals(ref.tenantId());
  }

  private long cursor() {
    return jdbc.sql("select seq from catalog_cursor where feed = ?")
        .param(FEED)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  private void saveCursor(long seq) {
    jdbc.sql(
            "insert into catalog_cursor (feed, seq) values (?, ?)"
                + " on conflict (feed) do update set seq = excluded.seq")
        .params(FEED, seq)
        .update();
  }
}
