package io.slipway.runtime.deploy;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Autoscaling's settings ({@code slipway.runtime.autoscaling.*}), checked at start-up.
 *
 * @param tick how often each replica samples the requests in flight of the apps opted in, and
 *     decides
 * @param stableWindow the average over this long sets an app's replicas
 * @param panicWindow an average over this long that calls for at least twice the replicas running
 *     adds them at once, and holds off scaling down for a stable window
 */
@Validated
@ConfigurationProperties("slipway.runtime.autoscaling")
public record AutoscaleProperties(
    @DefaultValue("2s") @NotNull Duration tick,
    @DefaultValue("60s") @NotNull Duration stableWindow,
    @DefaultValue("6s") @NotNull Duration panicWindow) {

  public AutoscaleProperties {
    if (stableWindow != null
        && panicWindow != null
        && (!panicWindow.isPositive() || panicWindow.compareTo(stableWindow) > 0)) {
      throw new IllegalArgumentException(
          "slipway.runtime.autoscaling.panic-window ("
              + panicWindow
              + ") must be positive and no longer than slipway.runtime.autoscaling.stable-window ("
              + stableWindow
              + ")");
    }
  }
}
