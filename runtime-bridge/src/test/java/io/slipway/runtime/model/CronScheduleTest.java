package io.slipway.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Five-field cron schedules as Heroku's and Dokku's app.json write them, read in UTC. */
class CronScheduleTest {

  private static final Instant MONDAY = Instant.parse("2026-12-07T10:03:20Z");

  /** The next {@code n} times the schedule comes due after {@code from}. */
  private static List<String> next(String schedule, Instant from, int n) {
    CronSchedule parsed = CronSchedule.parse(schedule);
    List<String> times = new ArrayList<>();
    Instant t = from;
    for (int i = 0; i < n; i++) {
      t = parsed.next(t).orElseThrow();
      times.add(t.toString());
    }
    return times;
  }

  @Test
  void everyTenMinutesEveryMinuteAndLists() {
    assertThat(next("*/10 * * * *", MONDAY, 3))
        .containsExactly("2026-12-07T10:10:00Z", "2026-12-07T10:20:00Z", "2026-12-07T10:30:00Z");
    assertThat(next("* * * * *", MONDAY, 2))
        .containsExactly("2026-12-07T10:04:00Z", "2026-12-07T10:05:00Z");
    assertThat(next("5,35 9-10 * * *", MONDAY, 3))
        .containsExactly("2026-12-07T10:05:00Z", "2026-12-07T10:35:00Z", "2026-12-08T09:05:00Z");
    assertThat(next("0-30/15 * * * *", MONDAY, 3))
        .containsExactly("2026-12-07T10:15:00Z", "2026-12-07T10:30:00Z", "2026-12-07T11:00:00Z");
    assertThat(next("50/5 * * * *", MONDAY, 3))
        .containsExactly("2026-12-07T10:50:00Z", "2026-12-07T10:55:00Z", "2026-12-07T11:50:00Z");
  }

  @Test
  void namesShortcutsAndSundayAsSeven() {
    assertThat(next("0 8 * * SUN", MONDAY, 1)).containsExactly("2026-12-13T08:00:00Z");
    assertThat(next("0 8 * * 7", MONDAY, 1)).containsExactly("2026-12-13T08:00:00Z");
    assertThat(next("0 0 1 jan *", MONDAY, 1)).containsExactly("2027-01-01T00:00:00Z");
    assertThat(next("0 9 * * mon-fri", Instant.parse("2026-12-11T10:00:00Z"), 2))
        .containsExactly("2026-12-14T09:00:00Z", "2026-12-15T09:00:00Z");
    Map<String, String> shortcuts =
        Map.of(
            "@hourly", "2026-12-07T11:00:00Z",
            "@daily", "2026-12-08T00:00:00Z",
            "@midnight", "2026-12-08T00:00:00Z",
            "@weekly", "2026-12-13T00:00:00Z",
            "@monthly", "2027-01-01T00:00:00Z",
            "@yearly", "2027-01-01T00:00:00Z",
            "@ANNUALLY", "2027-01-01T00:00:00Z");
    shortcuts.forEach(
        (shortcut, first) -> assertThat(next(shortcut, MONDAY, 1)).containsExactly(first));
  }

  /** Vixie cron: both day fields restricted is either; one of them `*` is the other alone. */
  @Test
  void restrictedDaysOfMonthAndWeekAreEither() {
    assertThat(next("0 0 13 * FRI", MONDAY, 2))
        .containsExactly("2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z");
    assertThat(next("0 0 29 2 *", MONDAY, 1)).containsExactly("2028-02-29T00:00:00Z");
    assertThat(next("0 0 */10 * *", MONDAY, 2))
        .containsExactly("2026-12-11T00:00:00Z", "2026-12-21T00:00:00Z");
  }

  @Test
  void latestDueLooksBackNoFurtherThanItIsTold() {
    CronSchedule every = CronSchedule.parse("*/10 * * * *");
    assertThat(every.latestDue(MONDAY, MONDAY.minusSeconds(300)))
        .contains(Instant.parse("2026-12-07T10:00:00Z"));
    assertThat(every.latestDue(MONDAY, Instant.parse("2026-12-07T10:00:01Z"))).isEmpty();
    assertThat(every.latestDue(Instant.parse("2026-12-07T10:10:00Z"), MONDAY))
        .contains(Instant.parse("2026-12-07T10:10:00Z"));
    assertThat(CronSchedule.parse("0 3 * * *").latestDue(MONDAY, MONDAY.minusSeconds(300)))
        .isEqualTo(Optional.empty());
  }

  @Test
  void refusesWhatItCannotReadSayingWhy() {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("", "is empty"),
            Map.entry("* * * *", "has 4 fields"),
            Map.entry("* * * * * *", "has 6 fields: seconds are not supported"),
            Map.entry("60 * * * *", "has a minute outside 0 to 59: 60"),
            Map.entry("* 24 * * *", "has a hour outside 0 to 23: 24"),
            Map.entry("* * 0 * *", "has a day of month outside 1 to 31: 0"),
            Map.entry("* * * 13 *", "has a month outside 1 to 12: 13"),
            Map.entry("* * * * 8", "has a day of week outside 0 to 7: 8"),
            Map.entry("*/0 * * * *", "has a minute step outside 1 to 60: 0"),
            Map.entry("30-10 * * * *", "has a minute range that runs backwards"),
            Map.entry("a * * * *", "has a minute that is not a number"),
            Map.entry("1,,2 * * * *", "has a minute that is not a number"),
            Map.entry("-1 * * * *", "has a minute that is not a number"),
            Map.entry("@reboot", "is not a shortcut Slipway runs"),
            Map.entry("0 0 * * *\n0 0 * * *", "holds characters other than printable ASCII"),
            Map.entry("0 0 30 2 *", "never comes due"),
            Map.entry("* ".repeat(60), "is longer than 100 characters"));
    cases.forEach(
        (schedule, why) ->
            assertThatThrownBy(() -> CronSchedule.parse(schedule))
                .as(schedule)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(why));
  }
}
