package io.slipway.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MomentTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static String relative(Duration offset) {
    return new Moment(NOW.plus(offset), NOW).relative();
  }

  @Test
  void pastTimesReadAsAgo() {
    assertThat(relative(Duration.ofSeconds(-10))).isEqualTo("just now");
    assertThat(relative(Duration.ofMinutes(-1))).isEqualTo("1 minute ago");
    assertThat(relative(Duration.ofMinutes(-5))).isEqualTo("5 minutes ago");
    assertThat(relative(Duration.ofHours(-3))).isEqualTo("3 hours ago");
    assertThat(relative(Duration.ofDays(-2))).isEqualTo("2 days ago");
    assertThat(relative(Duration.ofDays(-400))).isEqualTo("13 months ago");
    assertThat(relative(Duration.ofDays(-800))).isEqualTo("2 years ago");
  }

  @Test
  void futureTimesReadAsIn() {
    assertThat(relative(Duration.ofDays(29).plusHours(23))).isEqualTo("in 30 days");
    assertThat(relative(Duration.ofHours(1))).isEqualTo("in 1 hour");
    assertThat(relative(Duration.ofSeconds(5))).isEqualTo("in a few seconds");
  }

  @Test
  void theExactTimeIsInUtcAndNeverIsSaidPlainly() {
    Moment moment = new Moment(Instant.parse("2026-12-04T13:50:07.123Z"), NOW);
    assertThat(moment.exact()).isEqualTo("2026-12-04 13:50:07 UTC");
    assertThat(moment.iso()).isEqualTo("2026-12-04T13:50:07.123Z");
    assertThat(moment.past()).isFalse();
    Moment never = new Moment(null, NOW);
    assertThat(never.relative()).isEqualTo("never");
    assertThat(never.never()).isTrue();
    assertThat(never.past()).isFalse();
  }
}
