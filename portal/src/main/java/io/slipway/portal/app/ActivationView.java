package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge.Activation;
import io.slipway.portal.web.Moment;
import java.time.Instant;
import java.util.Locale;

/**
 * A function's activation as the pages show it.
 *
 * @param status {@code success}, {@code error} or {@code timeout}, as runtime-bridge says
 * @param badge the badge's look: each status its own, so an error and a timeout stand apart
 * @param duration how long the invocation took, in words ({@code 12 ms}, {@code 1.5 s})
 * @param resultSize the result's size as JSON, in words ({@code 27 B}, {@code 1.2 KiB})
 * @param error the handler's error, or null
 * @param logs the lines the handler wrote; null in a list, which leaves them out
 */
public record ActivationView(
    String id,
    String trigger,
    int revision,
    Moment started,
    String duration,
    String status,
    String badge,
    int httpStatus,
    String resultSize,
    String error,
    String logs) {

  static ActivationView of(Activation activation, Instant now) {
    return new ActivationView(
        activation.id(),
        activation.trigger(),
        activation.revision(),
        new Moment(activation.startedAt(), now),
        PushToLive.seconds(activation.durationMs()),
        activation.status(),
        badge(activation.status()),
        activation.httpStatus(),
        size(activation.resultBytes()),
        activation.error(),
        // the last line's end would show as an empty line at the end of the <pre>
        activation.logs() == null ? null : activation.logs().stripTrailing());
  }

  static String badge(String status) {
    return switch (status) {
      case "success" -> "succeeded";
      case "error" -> "failed";
      case "timeout" -> "timeout";
      default -> "stopped";
    };
  }

  /** {@code 0 B}, {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 MiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
