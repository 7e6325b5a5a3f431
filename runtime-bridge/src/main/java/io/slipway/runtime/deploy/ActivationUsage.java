package io.slipway.runtime.deploy;

import io.slipway.runtime.deploy.ActivationStore.Kept;
import io.slipway.runtime.tenant.TenantApi;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reports each tenant's kept activations to tenant-service as measured usage (key {@code
 * activations}), so that they count in the tenant's usage against its {@code activations} quota.
 * Never on the request path and never per invocation: the activation log's writer marks the tenants
 * it wrote for, and every {@code slipway.runtime.functions.usage-interval} their counts are sent
 * once; a prune pass reports every count it changed. A report that fails is sent again on the next
 * tick; a report replaces the last, so replicas reporting the same count at once do no harm.
 */
@Component
class ActivationUsage {

  private static final Logger log = LoggerFactory.getLogger(ActivationUsage.class);

  private final ActivationStore store;
  private final TenantApi tenants;

  /** Tenants (id to name) whose activations were written since their count was last reported. */
  private final Map<String, String> written = new ConcurrentHashMap<>();

  ActivationUsage(ActivationStore store, TenantApi tenants) {
    this.store = store;
    this.tenants = tenants;
  }

  /** The writer wrote these activations: their tenants' counts changed. */
  void written(Collection<ActivationStore.Recorded> batch) {
    batch.forEach(r -> written.put(r.ref().tenantId(), r.ref().tenant()));
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.functions.usage-interval:30s}",
      initialDelayString = "${slipway.runtime.functions.usage-interval:30s}")
  void scheduled() {
    try {
      reportWritten();
    } catch (RuntimeException e) {
      log.warn("Reporting activations failed; trying again on the next tick: {}", e.getMessage());
    }
  }

  /** Reports the count of each tenant written for since the last tick; returns how many took. */
  int reportWritten() {
    int reported = 0;
    for (String tenantId : List.copyOf(written.keySet())) {
      String tenant = written.remove(tenantId);
      if (tenant == null) {
        continue;
      }
      if (report(new Kept(tenantId, tenant, store.count(tenantId)))) {
        reported++;
      } else {
        written.putIfAbsent(tenantId, tenant);
      }
    }
    return reported;
  }

  /**
   * After a prune: reports each tenant whose count is not what was last reported, those left with
   * none too (their functions deleted or their activations aged out).
   */
  void reportChanged(List<Kept> kept) {
    Map<String, Kept> now = kept.stream().collect(Collectors.toMap(Kept::tenantId, k -> k));
    Map<String, Kept> last =
        store.reported().stream().collect(Collectors.toMap(Kept::tenantId, Function.identity()));
    for (Kept tenant : kept) {
      Kept before = last.get(tenant.tenantId());
      if (before == null || before.count() != tenant.count()) {
        report(tenant);
      }
    }
    for (Kept before : last.values()) {
      if (!now.containsKey(before.tenantId()) && before.count() != 0) {
        report(new Kept(before.tenantId(), before.tenant(), 0));
      }
    }
  }

  /** One report; false when tenant-service should be asked again later. */
  private boolean report(Kept kept) {
    return switch (tenants.reportActivations(kept.tenant(), kept.count())) {
      case RECORDED -> {
        store.recordReported(kept);
        yield true;
      }
      case NO_TENANT -> {
        store.forgetReported(kept.tenantId());
        yield true;
      }
      case FAILED -> false;
    };
  }
}
