package io.slipway.portal.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.client.RuntimeBridge.CronFiring;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduledJobsTest {

  @Test
  void commonSchedulesReadInWordsAndOthersAreLeftAsWritten() {
    assertThat(ScheduledJobs.inWords("* * * * *")).isEqualTo("every minute");
    assertThat(ScheduledJobs.inWords("*/10  * * * *")).isEqualTo("every 10 minutes");
    assertThat(ScheduledJobs.inWords("*/1 * * * *")).isEqualTo("every minute");
    assertThat(ScheduledJobs.inWords("5 * * * *")).isEqualTo("every hour at minute 5");
    assertThat(ScheduledJobs.inWords("30 4 * * *")).isEqualTo("every day at 04:30 UTC");
    assertThat(ScheduledJobs.inWords("@daily")).isEqualTo("every day at 00:00 UTC");
    assertThat(ScheduledJobs.inWords("@weekly")).isEqualTo("every Sunday at 00:00 UTC");
    // anything else is shown as written only, never guessed
    assertThat(ScheduledJobs.inWords("15 3 * * 1-5")).isNull();
    assertThat(ScheduledJobs.inWords("*/0 * * * *")).isNull();
    assertThat(ScheduledJobs.inWords("75 * * * *")).isNull();
    assertThat(ScheduledJobs.inWords("0 24 * * *")).isNull();
    assertThat(ScheduledJobs.inWords(null)).isNull();
  }

  @Test
  void eachFiringSaysHowItEndedWithItsBadge() {
    Instant now = Instant.parse("2026-12-05T10:05:00Z");
    Instant due = Instant.parse("2026-12-05T10:00:00Z");
    var failed = ScheduledJobs.firing(new CronFiring(due, "failed", "r", 2, due, 2500L, null), now);
    assertThat(failed.result()).isEqualTo("failed with exit code 2");
    assertThat(failed.badge()).isEqualTo("failed");
    assertThat(failed.duration()).isEqualTo("2.5 s");
    assertThat(failed.at().relative()).isEqualTo("5 minutes ago");
    var timedOut =
        ScheduledJobs.firing(new CronFiring(due, "timed-out", "r", null, due, 600000L, null), now);
    assertThat(timedOut.result()).startsWith("timed out");
    assertThat(timedOut.badge()).isEqualTo("failed");
    var skipped =
        ScheduledJobs.firing(
            new CronFiring(due, "skipped", null, null, null, null, "the previous run still ran"),
            now);
    assertThat(skipped.result()).isEqualTo("skipped: the previous run still ran");
    assertThat(skipped.badge()).isEqualTo("stopped");
    assertThat(skipped.duration()).isEmpty();
    assertThat(skipped.at().at()).isEqualTo(due);
    var running =
        ScheduledJobs.firing(new CronFiring(due, "running", "r", null, due, null, null), now);
    assertThat(running.badge()).isEqualTo("deploying");
  }
}
