package io.slipway.build.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which builds' logs are removed: those of builds that ended before the retention's start, except
 * the newest {@link #KEPT} builds of each app (numbered per app, so the builds numbered above it
 * are newer), whose logs stay whatever their age. A build still queued or running keeps its log.
 *
 * @param retention how long a log is kept after its build ended
 */
record LogRetention(Duration retention) {

  /** How many of each app's newest builds keep their logs whatever their age. */
  static final int KEPT = 10;

  private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

  /** One build as the rule sees it: its number, the app's newest number, how and when it ended. */
  record Candidate(int number, int newestOfApp, String status, Instant endedAt) {}

  /** Whether {@code build}'s log goes, on a pass at {@code now}. */
  boolean expires(Candidate build, Instant now) {
    return ENDED.contains(build.status())
        && build.endedAt() != null
        && build.endedAt().isBefore(now.minus(retention))
        && build.newestOfApp() - build.number() >= KEPT;
  }

  /** What the log of a build says once it was removed. */
  String note() {
    return "This build's log expired and was removed: build logs are kept "
        + describe(retention)
        + " after the build, and always for an app's newest "
        + KEPT
        + " builds.\n";
  }

  private static String describe(Duration duration) {
    if (duration.toHoursPart() == 0 && duration.toMinutesPart() == 0 && duration.toDays() > 0) {
      return duration.toDays() == 1 ? "1 day" : duration.toDays() + " days";
    }
    if (duration.toMinutesPart() == 0 && duration.toHours() > 0) {
      return duration.toHours() == 1 ? "1 hour" : duration.toHours() + " hours";
    }
    return Math.max(1, duration.toMinutes()) + " minutes";
  }
}
