package io.slipway.tenant.catalog;

import io.slipway.kit.validation.PreviewTtls;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.tenant.*}, the preview bounds' part (issue 25), checked at start-up.
 *
 * @param previewTtl how long a preview of a project that chose no TTL of its own may go without a
 *     push or {@code PUT} before the reaper deletes it (1h to 90d, as a project's own)
 * @param previewReaperInterval how long the reaper waits between passes
 */
@ConfigurationProperties("slipway.tenant")
record PreviewProperties(
    @DefaultValue("7d") Duration previewTtl, @DefaultValue("5m") Duration previewReaperInterval) {

  PreviewProperties {
    if (previewTtl.compareTo(PreviewTtls.MIN) < 0 || previewTtl.compareTo(PreviewTtls.MAX) > 0) {
      throw new IllegalArgumentException(
          "slipway.tenant.preview-ttl must be between 1h and 90d, was " + previewTtl);
    }
    if (previewReaperInterval.isNegative() || previewReaperInterval.isZero()) {
      throw new IllegalArgumentException(
          "slipway.tenant.preview-reaper-interval must be positive, was " + previewReaperInterval);
    }
  }
}
