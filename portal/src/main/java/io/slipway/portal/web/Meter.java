package io.slipway.portal.web;

import io.slipway.kit.client.TenantViews.Resources;
import io.slipway.kit.tenant.QuotaResource;
import java.util.List;

/**
 * One resource's usage against its limit, as the pages draw it: a bar, with the overage marked.
 *
 * @param limit null when there is no limit of its own
 */
public record Meter(String label, String unit, long used, Long limit) {

  /** How a resource's meter is labelled. */
  private record Kind(QuotaResource resource, String label, String unit) {}

  private static final List<Kind> RESOURCES =
      List.of(
          new Kind(QuotaResource.CPU_MILLICORES, "CPU", "millicores"),
          new Kind(QuotaResource.MEMORY_MIB, "Memory", "MiB"),
          new Kind(QuotaResource.APPS, "Apps", ""),
          new Kind(QuotaResource.REPLICAS, "Replicas", ""),
          new Kind(QuotaResource.CONCURRENT_BUILDS, "Concurrent builds", ""),
          new Kind(QuotaResource.BUILD_MINUTES, "Build minutes this month", ""),
          new Kind(QuotaResource.STORAGE_MIB, "Storage", "MiB"),
          new Kind(QuotaResource.ACTIVATIONS, "Activations kept", ""));

  /** The meters of every resource: {@code limits} (null: no limits at all) against {@code used}. */
  public static List<Meter> of(Resources limits, Resources used) {
    return of(RESOURCES, limits, used);
  }

  /**
   * A project's meters: all but activations, which are kept and limited per tenant only (a project
   * has no limit of them).
   */
  public static List<Meter> ofProject(Resources limits, Resources used) {
    return of(
        RESOURCES.stream().filter(r -> r.resource() != QuotaResource.ACTIVATIONS).toList(),
        limits,
        used);
  }

  private static List<Meter> of(List<Kind> kinds, Resources limits, Resources used) {
    return kinds.stream()
        .map(
            r -> {
              Long amount = used == null ? null : used.amount(r.resource());
              return new Meter(
                  r.label(),
                  r.unit(),
                  amount == null ? 0 : amount,
                  limits == null ? null : limits.amount(r.resource()));
            })
        .toList();
  }

  /** Filled share of the bar, 0 to 100. */
  public int percent() {
    if (limit == null || limit == 0) {
      return used > 0 ? 100 : 0;
    }
    return (int) Math.min(100, used * 100 / limit);
  }

  public boolean over() {
    return limit != null && used > limit;
  }
}
