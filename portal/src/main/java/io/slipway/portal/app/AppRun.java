package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge.RunView;
import io.slipway.portal.web.Moment;
import java.time.Instant;
import java.util.List;

/**
 * A one-off run of the app (a developer's, Run now's, or a cron entry's firing) as the pages show
 * it: who or what started it, its command, how it went and the end of its output.
 *
 * @param byCron whether a cron entry's firing started it (then {@code startedBy} is {@code cron})
 * @param outcome {@code running}, {@code succeeded}, {@code failed}, {@code timed-out} or {@code
 *     not-completed} (no exit code: cut short, or the runtime could not run it)
 * @param exitCode null while it runs, when it timed out or was cut short
 * @param duration how long it ran, or empty while it runs
 * @param output the last lines of its output that were asked for
 * @param outputCut whether earlier lines were left out
 */
public record AppRun(
    String id,
    String command,
    String startedBy,
    boolean byCron,
    String outcome,
    Integer exitCode,
    Moment started,
    String duration,
    String output,
    boolean outputCut) {

  /** As many lines as a run has: its whole kept output. */
  static final int ALL_LINES = Integer.MAX_VALUE;

  /** {@code run} with the last {@code lines} lines of its output (none with 0). */
  static AppRun of(RunView run, int lines, Instant now) {
    List<String> all = run.output() == null ? List.of() : run.output().lines().toList();
    int from = Math.max(0, all.size() - lines);
    return new AppRun(
        run.id(),
        run.command(),
        run.runBy(),
        run.cronEntry() != null,
        outcome(run),
        run.exitCode(),
        new Moment(run.startedAt(), now),
        run.durationMs() == null ? "" : PushToLive.seconds(run.durationMs()),
        String.join("\n", all.subList(from, all.size())),
        from > 0);
  }

  private static String outcome(RunView run) {
    if (run.finishedAt() == null) {
      return "running";
    }
    if (run.timedOut()) {
      return "timed-out";
    }
    if (run.exitCode() == null) {
      return "not-completed";
    }
    return run.exitCode() == 0 ? "succeeded" : "failed";
  }

  public boolean running() {
    return "running".equals(outcome);
  }

  /** How it went, in words: running, or how it ended (as a cron firing's end reads). */
  public String result() {
    return running() ? "running" : ScheduledJobs.ended(exitCode, "timed-out".equals(outcome));
  }

  /** The badge's look. */
  public String badge() {
    return ScheduledJobs.badge(outcome);
  }
}
