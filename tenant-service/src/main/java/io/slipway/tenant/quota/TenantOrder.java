package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The order of the admin tenant overview, from {@code ?sort=<key>[,asc|desc]}: {@code name}, a
 * resource's usage by its field name ({@code cpuMillicores}, {@code memoryMib}, {@code apps}, ...),
 * or {@code overages} (the number of resources over quota). Ties are broken by name.
 *
 * @param resource the resource whose usage orders, or null for {@code name} and {@code overages}
 */
record TenantOrder(String key, Resource resource, boolean descending) {

  static final TenantOrder BY_NAME = new TenantOrder("name", null, false);

  static TenantOrder parse(String sort) {
    if (sort == null || sort.isBlank()) {
      return BY_NAME;
    }
    String[] parts = sort.strip().split(",", -1);
    String key = parts[0].strip();
    boolean descending = false;
    if (parts.length == 2 && parts[1].strip().toLowerCase(Locale.ROOT).matches("asc|desc")) {
      descending = parts[1].strip().equalsIgnoreCase("desc");
    } else if (parts.length != 1) {
      throw invalid(sort);
    }
    if (key.equals("name") || key.equals("overages")) {
      return new TenantOrder(key, null, descending);
    }
    Resource resource =
        Arrays.stream(Resource.values())
            .filter(r -> r.field.equals(key))
            .findFirst()
            .orElseThrow(() -> invalid(sort));
    return new TenantOrder(key, resource, descending);
  }

  boolean byName() {
    return key.equals("name");
  }

  private static Problem invalid(String sort) {
    return Problem.invalid(
        "invalid-sort",
        "sort must be name, overages or a resource ("
            + Arrays.stream(Resource.values()).map(r -> r.field).collect(Collectors.joining(", "))
            + "), optionally followed by ,asc or ,desc; was '"
            + sort
            + "'");
  }
}
