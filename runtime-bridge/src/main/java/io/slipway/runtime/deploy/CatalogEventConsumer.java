package io.slipway.runtime.deploy;

import io.slipway.kit.catalog.CatalogEvent;
import io.slipway.kit.catalog.CatalogFeed;
import io.slipway.runtime.admission.ImagePolicies;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.egress.ProjectEgress;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.Router;
import io.slipway.runtime.tenant.TenantApi;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies tenant-service's deletions: for a deleted tenant, project or app, every app of it is
 * stopped and removed with its route, the images pulled for it (unless another app, of any tenant,
 * still uses them), reservations, domains, revisions, events and configuration, and then its
 * project networks or namespaces, egress settings and image policies. Events are read from
 * tenant-service's internal feed after the cursor stored in this bridge's database, and the cursor
 * moves past an event only once it is applied: a bridge that was down, or failed half-way, applies
 * it again (every step is idempotent) and catches up. What runs and what is routed is listed once
 * per page of events.
 */
@Component
public class CatalogEventConsumer {

  private static final Logger log = LoggerFactory.getLogger(CatalogEventConsumer.class);
  private final CatalogFeed feed;
  private final DeploymentStore store;
  private final AppLifecycle lifecycle;
  private final RuntimeDriver driver;
  private final Router router;
  private final ProjectEgress egress;
  private final ImagePolicies imagePolicies;
  private final TenantRetention retention;
  private Set<AppRef> running = Set.of();
  private Set<AppRef> routed = Set.of();

  CatalogEventConsumer(
      TenantApi tenants,
      DeploymentStore store,
      AppLifecycle lifecycle,
      RuntimeDriver driver,
      Router router,
      JdbcClient jdbc,
      ProjectEgress egress,
      ImagePolicies imagePolicies,
      TenantRetention retention) {
    this.retention = retention;
    this.feed = new CatalogFeed(jdbc, tenants::events);
    this.store = store;
    this.lifecycle = lifecycle;
    this.driver = driver;
    this.router = router;
    this.egress = egress;
    this.imagePolicies = imagePolicies;
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
    return feed.catchUp(this::look, this::apply);
  }

  private void look() {
    running = driver.apps();
    routed = router.routed();
  }

  private void apply(CatalogEvent event) {
    log.info("Removing what runs of deleted {} {}", event.type(), event.deletedId());
    Set<String> removed = new HashSet<>();
    for (AppRef ref : store.apps(event.tenantId(), event.projectId(), event.appId())) {
      lifecycle.delete(ref, null); // tenant-service audited the deletion
      removed.add(ref.appId());
    }
    // what runs or is routed without a row (a bridge that died between the two)
    Predicate<AppRef> leftover =
        ref ->
            !removed.contains(ref.appId())
                && event.covers(ref.tenantId(), ref.projectId(), ref.appId());
    running.stream()
        .filter(leftover)
        .forEach(
            ref -> {
              driver.removeApp(ref);
              driver.releaseImages(ref);
            });
    routed.stream().filter(leftover).forEach(router::unroute);
    if (event.appId() == null) {
      if (event.projectId() != null) {
        driver.removeProject(event.projectId());
        egress.forgetProject(event.projectId());
        imagePolicies.forgetProject(event.projectId());
      } else {
        driver.removeTenant(event.tenantId());
        egress.forgetTenant(event.tenantId());
        imagePolicies.forgetTenant(event.tenantId());
        retention.forget(event.tenantId());
      }
    }
  }
}
