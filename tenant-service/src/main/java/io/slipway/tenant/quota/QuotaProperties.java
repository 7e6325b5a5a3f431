package io.slipway.tenant.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.tenant.*}: the quota every new tenant starts with. Checked at start-up: a bad
 * default fails the service with a message naming the key.
 */
@ConfigurationProperties("slipway.tenant")
record QuotaProperties(@DefaultValue DefaultQuota defaultQuota) {

  QuotaProperties {
    try {
      defaultQuota.toResources().validate(true);
    } catch (io.slipway.kit.problem.Problem problem) {
      throw new IllegalArgumentException(
          "slipway.tenant.default-quota is invalid: " + problem.getMessage(), problem);
    }
  }

  /** The default tenant quota (the values of a small team's sandbox). */
  record DefaultQuota(
      @DefaultValue("4000") long cpuMillicores,
      @DefaultValue("8192") long memoryMib,
      @DefaultValue("20") long apps,
      @DefaultValue("40") long replicas,
      @DefaultValue("2") long concurrentBuilds,
      @DefaultValue("1000") long buildMinutes,
      @DefaultValue("20480") long storageMib) {

    Resources toResources() {
      return new Resources(
          cpuMillicores, memoryMib, apps, replicas, concurrentBuilds, buildMinutes, storageMib);
    }
  }
}
