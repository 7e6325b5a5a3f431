package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.runtime.vm.PodmanVms;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Counts VMs' disks against their tenants' storage quota: what each tenant's VM volumes take on the
 * host (disk overlays, seeds, console logs; {@link PodmanVms#diskMib}) is reported to
 * tenant-service as measured storage under the key {@code vm-disks}, on each {@link VmWatch} pass
 * and right after a VM is made or deleted. A tenant whose last VM was deleted is reported at 0. A
 * report replaces the last, so replicas reporting at once do no harm.
 */
@Component
class VmDisks {

  private static final Logger log = LoggerFactory.getLogger(VmDisks.class);

  private final VmStore vms;
  private final ObjectProvider<PodmanVms> podman;
  private final TenantApi tenants;

  /** A figure never measured: what a tenant whose last report failed is marked with. */
  private static final long UNKNOWN = -1;

  /** What was last reported of a tenant that has VMs. */
  private record Last(String tenant, long mib) {}

  /**
   * The tenants reported with VMs, by id: reported again only when their figure changed, and at 0
   * once they have none.
   */
  private final Map<String, Last> reported = new ConcurrentHashMap<>();

  VmDisks(VmStore vms, ObjectProvider<PodmanVms> podman, TenantApi tenants) {
    this.vms = vms;
    this.podman = podman;
    this.tenants = tenants;
  }

  /** Measures and reports every tenant that has VMs, or had at the last report. */
  void reportAll() {
    Map<String, List<AppRef>> byTenant =
        vms.all().stream()
            .collect(
                Collectors.groupingBy(AppRef::tenantId, LinkedHashMap::new, Collectors.toList()));
    Set<String> gone = new HashSet<>(reported.keySet());
    gone.removeAll(byTenant.keySet());
    byTenant.forEach((id, refs) -> reportOrLog(id, refs.getFirst().tenant(), refs));
    for (String id : gone) {
      Last last = reported.get(id);
      if (last != null) {
        reportOrLog(id, last.tenant(), List.of());
      }
    }
  }

  /** Measures and reports the tenant of {@code ref}, after one of its VMs was made or deleted. */
  void report(AppRef ref) {
    reportOrLog(
        ref.tenantId(),
        ref.tenant(),
        vms.all().stream().filter(vm -> vm.tenantId().equals(ref.tenantId())).toList());
  }

  /** One tenant's report; one that fails is told again on the next pass, the others go on. */
  private void reportOrLog(String tenantId, String tenant, List<AppRef> refs) {
    try {
      report(tenantId, tenant, refs);
    } catch (RuntimeException e) {
      reported.put(tenantId, new Last(tenant, UNKNOWN));
      log.warn(
          "The VM disks of tenant {} were not measured; the next pass does: {}",
          tenant,
          e.getMessage());
    }
  }

  private void report(String tenantId, String tenant, List<AppRef> refs) {
    PodmanVms runtime = podman.getIfAvailable();
    if (runtime == null || tenant == null) {
      return;
    }
    Set<String> withVm = refs.stream().map(AppRef::appId).collect(Collectors.toSet());
    long mib =
        refs.stream().mapToLong(runtime::diskMib).sum() + runtime.keptDataDiskMib(tenantId, withVm);
    Last last = reported.get(tenantId);
    if (!refs.isEmpty() && last != null && last.mib() == mib) {
      return;
    }
    TenantApi.Reported result = tenants.reportVmDisks(tenant, mib);
    if (result == TenantApi.Reported.FAILED) {
      // told again on the next pass, even when it has no VM left
      reported.put(tenantId, new Last(tenant, UNKNOWN));
      return;
    }
    if (refs.isEmpty() || result == TenantApi.Reported.NO_TENANT) {
      reported.remove(tenantId);
    } else {
      reported.put(tenantId, new Last(tenant, mib));
    }
  }
}
