package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.slipway.runtime.model.AppRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project's quota as the cluster enforces it, beside tenant-service's admission: a
 * ResourceQuota {@code project-quota} (CPU and memory requests and limits, pods) and a LimitRange
 * {@code project-limits} (a default for any container that names none, and no container above the
 * whole project's quota).
 */
public final class QuotaRenderer {

  public static final String QUOTA = "project-quota";
  public static final String LIMITS = "project-limits";
  static final String DEFAULT_CPU = "250m";
  static final String DEFAULT_MEMORY = "128Mi";

  public ResourceQuota quota(AppRef ref, ProjectQuota quota) {
    Map<String, Quantity> hard = new LinkedHashMap<>();
    if (quota.cpuMillicores() != null) {
      Quantity cpu = new Quantity(quota.cpuMillicores() + "m");
      hard.put("requests.cpu", cpu);
      hard.put("limits.cpu", cpu);
    }
    if (quota.memoryMib() != null) {
      Quantity memory = new Quantity(quota.memoryMib() + "Mi");
      hard.put("requests.memory", memory);
      hard.put("limits.memory", memory);
    }
    if (quota.replicas() != null) {
      hard.put("pods", new Quantity(Long.toString(quota.replicas())));
    }
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(QUOTA)
        .withNamespace(ref.namespace())
        .withLabels(Labels.project(ref))
        .endMetadata()
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .build();
  }

  public LimitRange limits(AppRef ref, ProjectQuota quota) {
    Map<String, Quantity> max = new LinkedHashMap<>();
    if (quota.cpuMillicores() != null) {
      max.put("cpu", new Quantity(quota.cpuMillicores() + "m"));
    }
    if (quota.memoryMib() != null) {
      max.put("memory", new Quantity(quota.memoryMib() + "Mi"));
    }
    Map<String, Quantity> defaults =
        Map.of("cpu", new Quantity(DEFAULT_CPU), "memory", new Quantity(DEFAULT_MEMORY));
    return new LimitRangeBuilder()
        .withNewMetadata()
        .withName(LIMITS)
        .withNamespace(ref.namespace())
        .withLabels(Labels.project(ref))
        .endMetadata()
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .withDefault(defaults)
        .withDefaultRequest(defaults)
        .withMax(max)
        .endLimit()
        .endSpec()
        .build();
  }
}
