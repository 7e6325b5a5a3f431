package io.slipway.tenant.quota;

import io.slipway.kit.tenant.QuotaResource;

/**
 * One dimension of quota and usage as tenant-service stores it: its JSON name (the shared
 * resource's, which every service and the portal use), its column and its upper bound. {@code
 * previews} (issue 25) is tenant-service's alone so far: no other service reserves or reads it.
 */
enum Resource {
  CPU_MILLICORES(QuotaResource.CPU_MILLICORES, "cpu_millicores", 1_000_000),
  MEMORY_MIB(QuotaResource.MEMORY_MIB, "memory_mib", 16_777_216),
  APPS(QuotaResource.APPS, "apps", 100_000),
  REPLICAS(QuotaResource.REPLICAS, "replicas", 100_000),
  CONCURRENT_BUILDS(QuotaResource.CONCURRENT_BUILDS, "concurrent_builds", 1_000),
  BUILD_MINUTES(QuotaResource.BUILD_MINUTES, "build_minutes", 10_000_000),
  STORAGE_MIB(QuotaResource.STORAGE_MIB, "storage_mib", 1_073_741_824),
  PREVIEWS("previews", "previews", 100_000);

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

  /** Counted from the catalog (apps, previews in a project), never reserved. */
  boolean counted() {
    return this == APPS || this == PREVIEWS;
  }
}
