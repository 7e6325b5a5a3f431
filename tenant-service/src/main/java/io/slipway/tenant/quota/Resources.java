package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An amount of every quota dimension: used for limits, usage and reservations. A null member means
 * "not set" (a project limit that defers to the tenant's, or a reservation that takes none).
 */
public record Resources(
    Long cpuMillicores,
    Long memoryMib,
    Long apps,
    Long replicas,
    Long concurrentBuilds,
    Long buildMinutes,
    Long storageMib,
    Long previews,
    Long activations) {

  static final Resources ZERO = of(resource -> 0L);

  static Resources of(Function<Resource, Long> value) {
    return new Resources(
        value.apply(Resource.CPU_MILLICORES),
        value.apply(Resource.MEMORY_MIB),
        value.apply(Resource.APPS),
        value.apply(Resource.REPLICAS),
        value.apply(Resource.CONCURRENT_BUILDS),
        value.apply(Resource.BUILD_MINUTES),
        value.apply(Resource.STORAGE_MIB),
        value.apply(Resource.PREVIEWS),
        value.apply(Resource.ACTIVATIONS));
  }

  Long get(Resource resource) {
    return switch (resource) {
      case CPU_MILLICORES -> cpuMillicores;
      case MEMORY_MIB -> memoryMib;
      case APPS -> apps;
      case REPLICAS -> replicas;
      case CONCURRENT_BUILDS -> concurrentBuilds;
      case BUILD_MINUTES -> buildMinutes;
      case STORAGE_MIB -> storageMib;
      case PREVIEWS -> previews;
      case ACTIVATIONS -> activations;
    };
  }

  long getOrZero(Resource resource) {
    Long value = get(resource);
    return value == null ? 0 : value;
  }

  /** This amount with {@code resource} set to {@code value}. */
  Resources with(Resource resource, Long value) {
    return of(r -> r == resource ? value : get(r));
  }

  Resources withNullsAsZero() {
    return of(this::getOrZero);
  }

  /** The dimensions where this amount is above {@code limits} (null limits are never exceeded). */
  Map<Resource, Long> over(Resources limits) {
    Map<Resource, Long> over = new EnumMap<>(Resource.class);
    for (Resource resource : Resource.values()) {
      Long limit = limits.get(resource);
      if (limit != null && getOrZero(resource) > limit) {
        over.put(resource, getOrZero(resource) - limit);
      }
    }
    return over;
  }

  /**
   * Refuses values outside 0..max with a 400 problem listing every bad field; with {@code
   * complete}, a missing value is refused too.
   */
  Resources validate(boolean complete) {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (Resource resource : Resource.values()) {
      Long value = get(resource);
      if (value == null && complete) {
        errors.add(error(resource, "is required"));
      } else if (value != null && (value < 0 || value > resource.max)) {
        errors.add(error(resource, "must be between 0 and " + resource.max));
      }
    }
    if (!errors.isEmpty()) {
      String detail =
          errors.stream()
              .map(error -> error.get("field") + " " + error.get("message"))
              .reduce((a, b) -> a + "; " + b)
              .orElseThrow();
      throw new Problem(
              org.springframework.http.HttpStatus.BAD_REQUEST,
              "invalid-request",
              "Bad request",
              detail)
          .with("errors", errors);
    }
    return this;
  }

  private static Map<String, Object> error(Resource resource, String message) {
    return Map.of("field", resource.field, "message", message);
  }
}
