package io.slipway.portal.web;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One resource's usage against its limit, as the pages draw it: a bar, with the overage marked.
 *
 * @param limit null when there is no limit of its own
 */
public record Meter(String label, String unit, long used, Long limit) {

  private static final List<String[]> RESOURCES =
      List.of(
          new String[] {"cpuMillicores", "CPU", "millicores"},
          new String[] {"memoryMib", "Memory", "MiB"},
          new String[] {"apps", "Apps", ""},
          new String[] {"replicas", "Replicas", ""},
          new String[] {"concurrentBuilds", "Concurrent builds", ""},
          new String[] {"buildMinutes", "Build minutes this month", ""},
          new String[] {"storageMib", "Storage", "MiB"});

  /** The meters of every resource, from a {@code {limits, used}} object of the tenant API. */
  public static List<Meter> of(JsonNode usage) {
    return of(usage.path("limits"), usage.path("used"));
  }

  /** The meters of every resource from separate limits and usage objects. */
  public static List<Meter> of(JsonNode limits, JsonNode used) {
    return RESOURCES.stream()
        .map(
            r -> {
              JsonNode limit = limits.path(r[0]);
              return new Meter(
                  r[1], r[2], used.path(r[0]).asLong(), limit.isNumber() ? limit.asLong() : null);
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
