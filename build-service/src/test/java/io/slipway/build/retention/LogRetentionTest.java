package io.slipway.build.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.retention.LogRetention.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which build logs a pass removes, and what a removed log says. */
class LogRetentionTest {

  private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
  private static final LogRetention THIRTY_DAYS = new LogRetention(Duration.ofDays(30));

  @Test
  void logsPastRetentionGoExceptThoseOfTheAppsNewestTenBuilds() {
    Instant old = NOW.minus(Duration.ofDays(31));
    // 13 builds, all ended 31 days ago: the newest 10 (4 to 13) keep their logs
    assertThat(
            IntStream.rangeClosed(1, 13)
                .filter(n -> THIRTY_DAYS.expires(new Candidate(n, 13, "succeeded", old), NOW))
                .boxed())
        .containsExactly(1, 2, 3);
  }

  @Test
  void logsWithinRetentionStayHoweverManyBuildsFollow() {
    Instant recent = NOW.minus(Duration.ofDays(29));
    assertThat(THIRTY_DAYS.expires(new Candidate(1, 500, "failed", recent), NOW)).isFalse();
    // the boundary itself is within retention
    assertThat(
            THIRTY_DAYS.expires(
                new Candidate(1, 500, "failed", NOW.minus(Duration.ofDays(30))), NOW))
        .isFalse();
  }

  @Test
  void everyWayABuildEndsCountsButABuildNotEndedKeepsItsLog() {
    Instant old = NOW.minus(Duration.ofDays(90));
    assertThat(THIRTY_DAYS.expires(new Candidate(1, 20, "failed", old), NOW)).isTrue();
    assertThat(THIRTY_DAYS.expires(new Candidate(1, 20, "cancelled", old), NOW)).isTrue();
    assertThat(THIRTY_DAYS.expires(new Candidate(1, 20, "running", old), NOW)).isFalse();
    assertThat(THIRTY_DAYS.expires(new Candidate(1, 20, "queued", old), NOW)).isFalse();
    assertThat(THIRTY_DAYS.expires(new Candidate(1, 20, "succeeded", null), NOW)).isFalse();
  }

  @Test
  void theNoteSaysHowLongLogsAreKept() {
    assertThat(THIRTY_DAYS.note())
        .isEqualTo(
            "This build's log expired and was removed: build logs are kept 30 days after the"
                + " build, and always for an app's newest 10 builds.\n");
    assertThat(new LogRetention(Duration.ofHours(36)).note()).contains("kept 36 hours after");
    assertThat(new LogRetention(Duration.ofDays(1)).note()).contains("kept 1 day after");
  }
}
