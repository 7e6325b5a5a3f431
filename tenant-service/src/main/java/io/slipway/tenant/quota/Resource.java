package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.QuotaResource;

/**
 * One dimension of quota and usage as tenant-service stores it: its JSON name (the shared
 * resource's, which every service and the portal use), its column and its upper bound. {@code
 * previews} (issue 25) is tenant-service's alone so far: no other service reserves or reads it.
 * {@code activations} (issue 22) is what runtime-bridge keeps of functions' activations: measured,
 * never reserved, and bounded per tenant only (its upper bound is the bridge's own retention
 * cap's).
 */
enum Resource {
  CPU_MILLICORES(QuotaResource.CPU_MILLICORES, "cpu_millicores", 1_000_000),
  MEMORY_MIB(QuotaResource.MEMORY_MIB, "memory_mib", 16_777_216),
  APPS(QuotaResource.APPS, "apps", 100_000),
  REPLICAS(QuotaResource.REPLICAS, "replicas", 100_000),
  CONCURRENT_BUILDS(QuotaResource.CONCURRENT_BUILDS, "concurrent_builds", 1_000),
  BUILD_MINUTES(QuotaResource.BUILD_MINUTES, "build_minutes", 10_000_000),
  STORAGE_MIB(QuotaResource.STORAGE_MIB, "storage_mib", 1_073_741_824),
  PREVIEWS("previews", "previews", 100_000),
  ACTIVATIONS(QuotaResource.ACTIVATIONS, "activations", 10_000_000);

  /** The name in JSON bodies and messages. */
  final String field;

  /** The column in tenant_quota, project_quota and reservation. */
  final String column;

  /** The largest value any quota or reservation may hold. */
  final long max;

  Resource(QuotaResource shared, String column, long max) {
    this(shared.field(), column, max);
  }

  Resource(String field, String column, long max) {
    this.field = field;
    this.column = column;
    this.max = max;
  }

  /** Held while a reservation is active; build minutes are consumed for the month instead. */
  boolean held() {
    return this != BUILD_MINUTES;
  }

  /**
   * The 409 {@code quota-exceeded} problem for {@code requested} more of this resource where {@code
   * scope}'s limit is {@code limit} and {@code used} are in use: the numbers in words and as
   * fields.
   */
  Problem exceeded(String scope, long limit, long used, long requested) {
    return Problem.conflict(
            "quota-exceeded",
            "The "
                + scope
                + " quota for "
                + field
                + " is "
                + limit
                + ": "
                + used
                + " in use, "
                + requested
                + " requested")
        .with("scope", scope)
        .with("resource", field)
        .with("limit", limit)
        .with("used", used)
        .with("requested", requested);
  }

  /**
   * Limited per tenant only: activations are retained and measured per tenant, so a project has no
   * limit of its own and none in force.
   */
  boolean tenantWide() {
    return this == ACTIVATIONS;
  }

  /** Counted from the catalog (apps, previews in a project), never reserved. */
  boolean counted() {
    return this == APPS || this == PREVIEWS;
  }
}
