package io.slipway.tenant.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.tenant.*}: the quota every new tenant starts with, and the previews limit of a
 * project that has none of its own. Checked at start-up: a bad default fails the service with a
 * message naming the key.
 *
 * @param defaultProjectPreviews how many previews (issue 25) a project may have while its own quota
 *     sets none (never more than its tenant's {@code previews}): unlike the other resources, whose
 *     project limit defaults to the tenant's, so that one project's pull requests cannot take every
 *     preview of the tenant
 */
@ConfigurationProperties("slipway.tenant")
record QuotaProperties(
    @DefaultValue DefaultQuota defaultQuota, @DefaultValue("3") long defaultProjectPreviews) {

  QuotaProperties {
    try {
      defaultQuota.toResources().validate(true);
    } catch (io.slipway.kit.problem.Problem problem) {
      throw new IllegalArgumentException(
          "slipway.tenant.default-quota is invalid: " + problem.getMessage(), problem);
    }
    if (defaultProjectPreviews < 0 || defaultProjectPreviews > Resource.PREVIEWS.max) {
      throw new IllegalArgumentException(
          "slipway.tenant.default-project-previews must be between 0 and "
              + Resource.PREVIEWS.max
              + ", was "
              + defaultProjectPreviews);
    }
  }

  /**
   * What a project's limits are when its own quota leaves them unset, before the tenant's bound
   * them: only {@code previews} has a default of its own.
   */
  Resources projectDefaults() {
    return Resources.of(r -> r == Resource.PREVIEWS ? defaultProjectPreviews : null);
  }

  /** The default tenant quota (the values of a small team's sandbox). */
  record DefaultQuota(
      @DefaultValue("4000") long cpuMillicores,
      @DefaultValue("8192") long memoryMib,
      @DefaultValue("20") long apps,
      @DefaultValue("40") long replicas,
      @DefaultValue("2") long concurrentBuilds,
      @DefaultValue("1000") long buildMinutes,
      @DefaultValue("20480") long storageMib,
      @DefaultValue("10") long previews,
      @DefaultValue("10000") long activations) {

    Resources toResources() {
      return new Resources(
          cpuMillicores,
          memoryMib,
          apps,
          replicas,
          concurrentBuilds,
          buildMinutes,
          storageMib,
          previews,
          activations);
    }
  }
}
