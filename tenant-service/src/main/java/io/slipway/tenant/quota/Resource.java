package io.slipway.tenant.quota;

/** One dimension of quota and usage, with its API name, column and upper bound. */
enum Resource {
  CPU_MILLICORES("cpuMillicores", "cpu_millicores", 1_000_000),
  MEMORY_MIB("memoryMib", "memory_mib", 16_777_216),
  APPS("apps", "apps", 100_000),
  REPLICAS("replicas", "replicas", 100_000),
  CONCURRENT_BUILDS("concurrentBuilds", "concurrent_builds", 1_000),
  BUILD_MINUTES("buildMinutes", "build_minutes", 10_000_000),
  STORAGE_MIB("storageMib", "storage_mib", 1_073_741_824);

  /** The name in JSON bodies and messages. */
  final String field;

  /** The column in tenant_quota, project_quota and reservation. */
  final String column;

  /** The largest value any quota or reservation may hold. */
  final long max;

  Resource(String field, String column, long max) {
    this.field = field;
    this.column = column;
    this.max = max;
  }

  /** Held while a reservation is active; build minutes are consumed for the month instead. */
  boolean held() {
    return this != BUILD_MINUTES;
  }

  /** Counted from the catalog (apps in a project), never reserved. */
  boolean counted() {
    return this == APPS;
  }
}
