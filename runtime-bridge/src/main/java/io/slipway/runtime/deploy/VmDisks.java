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

  /** The tenants reported with VMs last time, id to name: reported at 0 once they have none. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

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
    byTenant.forEach((id, refs) -> report(id, refs.getFirst().tenant(), refs));
    gone.forEach(id -> report(id, reported.get(id), List.of()));
  }

  /** Measures and reports the tenant of {@code ref}, after one of its VMs was made or deleted. */
  void report(AppRef ref) {
    try {
      report(
          ref.tenantId(),
          ref.tenant(),
          vms.all().stream().filter(vm -> vm.tenantId().equals(ref.tenantId())).toList());
    } catch (RuntimeException e) {
      log.warn("The VM disks of {} were not measured; the next pass does: {}", ref, e.getMessage());
    }
  }

  private void report(String tenantId, String tenant, List<AppRef> refs) {
    PodmanVms runtime = podman.getIfAvailable();
    if (runtime == null || tenant == null) {
      return;
    }
    long mib = refs.stream().mapToLong(runtime::diskMib).sum();
    TenantApi.Reported result = tenants.reportVmDisks(tenant, mib);
    if (refs.isEmpty() && result != TenantApi.Reported.FAILED) {
      reported.remove(tenantId);
    } else if (!refs.isEmpty()) {
      reported.put(tenantId, tenant);
    }
  }
}
