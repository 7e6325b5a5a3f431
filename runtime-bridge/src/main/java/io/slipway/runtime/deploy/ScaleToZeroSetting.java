package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's scale-to-zero setting as the API takes it: {@code {"enabled": true, "idleAfter": "5m",
 * "pausedFor": "10m"}}. Periods are whole numbers of seconds, minutes or hours ({@code 90s}, {@code
 * 5m}, {@code 2h}): the idle period from 1 minute to 24 hours, 5 minutes when not given; the paused
 * stage from 0 (stop at once) to 24 hours, 0 when not given.
 */
record ScaleToZeroSetting(Boolean enabled, String idleAfter, String pausedFor) {

  static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);
  static final Duration MIN_IDLE = Duration.ofMinutes(1);
  static final Duration MAX_IDLE = Duration.ofHours(24);
  static final Duration MAX_PAUSED = Duration.ofHours(24);

  private static final Pattern PERIOD = Pattern.compile("([0-9]{1,5})([smh])");

  /**
   * The periods of an app opted in: idle that long, its instances are paused (frozen in place,
   * their memory kept); paused {@code pausedFor} longer, they are stopped. No paused stage when
   * {@code pausedFor} is zero.
   */
  record Periods(Duration idleAfter, Duration pausedFor) {}

  /** The periods to store, or null to opt out; a 400 problem for anything else. */
  Periods validated() {
    if (enabled == null) {
      throw invalid("enabled is required: true or false");
    }
    if (!enabled) {
      return null;
    }
    Duration idle = idleAfter == null ? DEFAULT_IDLE : period("idleAfter", idleAfter);
    if (idle.compareTo(MIN_IDLE) < 0 || idle.compareTo(MAX_IDLE) > 0) {
      throw invalid("idleAfter must be from 1m to 24h, not " + idleAfter);
    }
    Duration paused = pausedFor == null ? Duration.ZERO : period("pausedFor", pausedFor);
    if (paused.compareTo(MAX_PAUSED) > 0) {
      throw invalid("pausedFor must be from 0s (stop at once) to 24h, not " + pausedFor);
    }
    return new Periods(idle, paused);
  }

  private static Duration period(String field, String value) {
    Matcher m = PERIOD.matcher(value);
    if (!m.matches()) {
      throw invalid(
          field
              + " must be a whole number of seconds, minutes or hours, such as 90s, 5m or 2h,"
              + " not \""
              + shown(value)
              + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** A period as the API shows it: the largest whole unit. */
  static String format(Duration period) {
    long s = period.toSeconds();
    if (s == 0) {
      return "0s";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  private static String shown(String value) {
    String cut = value.length() > 20 ? value.substring(0, 20) + "..." : value;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static Problem invalid(String detail) {
    return Problem.badRequest("invalid-scale-to-zero", detail);
  }
}
