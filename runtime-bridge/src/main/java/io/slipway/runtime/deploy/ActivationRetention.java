package io.slipway.runtime.deploy;

import io.slipway.runtime.deploy.ActivationStore.Kept;
import io.slipway.runtime.tenant.TenantApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps functions' activations within each tenant's quota: every {@code
 * slipway.runtime.functions.prune-interval} each replica forgets activations older than {@code
 * activation-max-age}, those of apps gone, and all but each tenant's newest {@code activations} of
 * its quota (never more than {@code activation-retention}, the bridge's own cap), then reports the
 * counts that changed to tenant-service. Retention, never admission: no invocation is refused over
 * the quota, older activations go instead. Idempotent deletes: replicas pruning at once, or a prune
 * killed halfway, leave nothing inconsistent.
 */
@Component
class ActivationRetention {

  private static final Logger log = LoggerFactory.getLogger(ActivationRetention.class);

  private final ActivationStore store;
  private final ActivationUsage usage;
  private final TenantApi tenants;
  private final FunctionProperties properties;
  private final Clock clock = Clock.systemUTC();

  ActivationRetention(
      ActivationStore store,
      ActivationUsage usage,
      TenantApi tenants,
      FunctionProperties properties) {
    this.store = store;
    this.usage = usage;
    this.tenants = tenants;
    this.properties = properties;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.functions.prune-interval:5m}",
      initialDelayString = "${slipway.runtime.functions.prune-interval:5m}")
  void scheduled() {
    try {
      prune();
    } catch (RuntimeException e) {
      log.warn("Pruning activations failed; trying again on the next pass: {}", e.getMessage());
    }
  }

  /** One prune, then the report of what it changed; returns how many activations went. */
  int prune() {
    int pruned = store.pruneOld(clock.instant().minus(properties.activationMaxAge()));
    List<Kept> kept = new ArrayList<>();
    for (Kept tenant : store.kept()) {
      int keep = keep(tenant.tenant());
      if (tenant.count() > keep) {
        pruned += store.pruneBeyond(tenant.tenantId(), keep);
        kept.add(new Kept(tenant.tenantId(), tenant.tenant(), store.count(tenant.tenantId())));
      } else {
        kept.add(tenant);
      }
    }
    if (pruned > 0) {
      log.info("Pruned {} activations", pruned);
    }
    usage.reportChanged(kept);
    return pruned;
  }

  /**
   * How many activations the tenant keeps: its quota's, never more than the bridge's cap; the cap
   * while tenant-service does not answer (nothing is lost to an outage).
   */
  private int keep(String tenant) {
    int cap = properties.activationRetention();
    return (int) Math.min(cap, tenants.activationsLimit(tenant).orElse(cap));
  }
}
