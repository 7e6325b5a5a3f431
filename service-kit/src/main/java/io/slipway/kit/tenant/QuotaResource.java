package io.slipway.kit.tenant;

import java.util.Arrays;

/**
 * One dimension of a tenant's or project's quota and usage, by the name it has in every JSON body
 * (tenant-service's quota, usage and reservation APIs, and the services and portal that read them).
 */
public enum QuotaResource {
  CPU_MILLICORES("cpuMillicores"),
  MEMORY_MIB("memoryMib"),
  APPS("apps"),
  REPLICAS("replicas"),
  CONCURRENT_BUILDS("concurrentBuilds"),
  BUILD_MINUTES("buildMinutes"),
  STORAGE_MIB("storageMib"),
  /** Functions' activations a tenant keeps (issue 22): runtime-bridge measures and prunes them. */
  ACTIVATIONS("activations");

  private final String field;

  QuotaResource(String field) {
    this.field = field;
  }

  /** The name in JSON bodies, query parameters and messages. */
  public String field() {
    return field;
  }

  /** Every JSON name, in declaration order, joined by {@code ", "} for messages. */
  public static String fields() {
    return String.join(", ", Arrays.stream(values()).map(QuotaResource::field).toList());
  }
}
