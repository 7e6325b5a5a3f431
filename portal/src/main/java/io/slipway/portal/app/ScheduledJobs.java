package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge.CronEntry;
import io.slipway.kit.client.RuntimeBridge.CronFiring;
import io.slipway.kit.client.RuntimeBridge.CronList;
import io.slipway.portal.web.Moment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's scheduled jobs (app.json's {@code cron}, run by runtime-bridge) as the app page shows
 * them: each schedule as written and, when simple, in words, its command, its next firing and how
 * its last one went.
 *
 * @param stopped whether the app is stopped, so nothing comes due
 */
public record ScheduledJobs(boolean stopped, List<Job> jobs) {

  /**
   * One entry.
   *
   * @param id runtime-bridge's stable name of the entry, which Run now names
   * @param inWords the schedule in plain words, or null when it is not one of the simple shapes
   * @param next when it comes due next (never while stopped)
   * @param last its latest firing, or null when it never fired
   */
  public record Job(
      String id, String schedule, String inWords, String command, Moment next, Firing last) {}

  /**
   * A firing as the page says it.
   *
   * @param outcome {@code succeeded}, {@code failed}, {@code timed-out}, {@code skipped}, {@code
   *     running} or {@code not-completed}: the badge's class
   * @param result the outcome in words, with the exit code or the reason
   * @param duration how long it ran, or empty
   */
  public record Firing(Moment at, String outcome, String result, String duration) {

    /** The badge's look. */
    public String badge() {
      return ScheduledJobs.badge(outcome);
    }
  }

  /** A run's badge class by its outcome: green, red, blue while it runs, grey when skipped. */
  static String badge(String outcome) {
    return switch (outcome) {
      case "succeeded" -> "succeeded";
      case "running" -> "deploying";
      case "skipped" -> "stopped";
      default -> "failed";
    };
  }

  private static final Map<String, String> MACROS =
      Map.of(
          "@hourly", "every hour, on the hour",
          "@daily", "every day at 00:00 UTC",
          "@midnight", "every day at 00:00 UTC",
          "@weekly", "every Sunday at 00:00 UTC",
          "@monthly", "on the 1st of every month at 00:00 UTC",
          "@yearly", "every 1 January at 00:00 UTC",
          "@annually", "every 1 January at 00:00 UTC");
  private static final Pattern EVERY_N_MINUTES =
      Pattern.compile("\\*/([0-9]{1,2}) \\* \\* \\* \\*");
  private static final Pattern HOURLY_AT = Pattern.compile("([0-9]{1,2}) \\* \\* \\* \\*");
  private static final Pattern DAILY_AT = Pattern.compile("([0-9]{1,2}) ([0-9]{1,2}) \\* \\* \\*");

  static ScheduledJobs of(CronList list, Instant now) {
    List<CronEntry> entries = list.entries() == null ? List.of() : list.entries();
    return new ScheduledJobs(
        list.stopped(), entries.stream().map(entry -> job(entry, now)).toList());
  }

  private static Job job(CronEntry entry, Instant now) {
    List<CronFiring> runs = entry.lastRuns() == null ? List.of() : entry.lastRuns();
    return new Job(
        entry.id(),
        entry.schedule(),
        inWords(entry.schedule()),
        entry.command(),
        new Moment(entry.nextRunAt(), now),
        runs.isEmpty() ? null : firing(runs.get(0), now));
  }

  static Firing firing(CronFiring firing, Instant now) {
    String status = firing.status() == null ? "" : firing.status();
    String result =
        switch (status) {
          case "succeeded", "failed" -> ended(firing.exitCode(), false);
          case "timed-out" -> ended(null, true);
          case "skipped" -> "skipped" + (firing.reason() == null ? "" : ": " + firing.reason());
          case "running" -> "running";
          case "not-completed" -> "did not complete (refused by the quota, or cut short)";
          default -> status;
        };
    return new Firing(
        new Moment(firing.startedAt() != null ? firing.startedAt() : firing.dueAt(), now),
        status,
        result,
        firing.durationMs() == null ? "" : PushToLive.seconds(firing.durationMs()));
  }

  /** How a run of a job ended, in words: a firing's and a Run now's alike. */
  static String ended(Integer exitCode, boolean timedOut) {
    if (timedOut) {
      return "timed out: killed at the run timeout";
    }
    if (exitCode == null) {
      return "did not complete";
    }
    return exitCode == 0 ? "succeeded (exit code 0)" : "failed with exit code " + exitCode;
  }

  /** A schedule in plain words when it has one of the common shapes; null otherwise. */
  static String inWords(String schedule) {
    if (schedule == null) {
      return null;
    }
    String s = schedule.strip().replaceAll("\\s+", " ");
    if (MACROS.containsKey(s)) {
      return MACROS.get(s);
    }
    if (s.equals("* * * * *")) {
      return "every minute";
    }
    Matcher every = EVERY_N_MINUTES.matcher(s);
    if (every.matches()) {
      int n = Integer.parseInt(every.group(1));
      return n == 1 ? "every minute" : n >= 1 && n <= 59 ? "every " + n + " minutes" : null;
    }
    Matcher hourly = HOURLY_AT.matcher(s);
    if (hourly.matches()) {
      int minute = Integer.parseInt(hourly.group(1));
      return minute <= 59 ? "every hour at minute " + minute : null;
    }
    Matcher daily = DAILY_AT.matcher(s);
    if (daily.matches()) {
      int minute = Integer.parseInt(daily.group(1));
      int hour = Integer.parseInt(daily.group(2));
      return minute <= 59 && hour <= 23
          ? String.format("every day at %02d:%02d UTC", hour, minute)
          : null;
    }
    return null;
  }
}
