package io.slipway.runtime.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron schedule in the five fields Heroku's and Dokku's {@code app.json} use ({@code minute hour
 * day-of-month month day-of-week}), read in UTC. Each field is {@code *}, a number, a range {@code
 * a-b}, any of these with a step ({@code *}{@code /10}, {@code 0-30/5}, {@code 5/15}), or a list of
 * them ({@code 1,15,30}); months and days may be named ({@code JAN}, {@code MON}); day of week 0
 * and 7 are Sunday. As in Vixie cron, when both day fields are restricted a day matching either
 * runs. These shortcuts are understood: {@code @hourly}, {@code @daily} (also {@code @midnight}),
 * the weekly one {@code @weekly}, the monthly one {@code @monthly}, the yearly one {@code @yearly}
 * (also {@code @annually}); {@code @reboot} is not.
 *
 * <p>Five fields cannot fire more often than once a minute, the platform's minimum interval: a
 * six-field schedule (with seconds) is refused rather than read as something else.
 */
public final class CronSchedule {

  /** The longest schedule read. */
  public static final int MAX_LENGTH = 100;

  /** How far {@link #next} looks: far enough for a leap day in any year. */
  private static final int HORIZON_YEARS = 9;

  private static final Map<String, String> SHORTCUTS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String text, String[] fields) {
    this.text = text;
    this.minutes = field(fields[0], "minute", 0, 59, List.of(), 0);
    this.hours = field(fields[1], "hour", 0, 23, List.of(), 0);
    this.daysOfMonth = field(fields[2], "day of month", 1, 31, List.of(), 0);
    this.months = field(fields[3], "month", 1, 12, MONTHS, 1);
    BitSet days = field(fields[4], "day of week", 0, 7, DAYS, 0);
    if (days.get(7)) {
      days.set(0);
      days.clear(7);
    }
    this.daysOfWeek = days;
    this.anyDayOfMonth = fields[2].startsWith("*");
    this.anyDayOfWeek = fields[4].startsWith("*");
  }

  /**
   * Reads a schedule.
   *
   * @throws IllegalArgumentException saying in plain words what is wrong with it
   */
  public static CronSchedule parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
    }
    if (!text.matches("[\\x20-\\x7e\\t]+")) {
      throw new IllegalArgumentException("holds characters other than printable ASCII");
    }
    String trimmed = text.strip();
    String expanded = trimmed;
    if (trimmed.startsWith("@")) {
      expanded = SHORTCUTS.get(trimmed.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException(
            "is not a shortcut Slipway runs (@hourly, @daily, @midnight, @weekly, @monthly,"
                + " @yearly, @annually)");
      }
    }
    String[] fields = expanded.split("[ \\t]+");
    if (fields.length == 6) {
      throw new IllegalArgumentException(
          "has 6 fields: seconds are not supported, an entry runs at most once a minute (5 fields:"
              + " minute hour day-of-month month day-of-week)");
    }
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "has "
              + fields.length
              + " fields, not the 5 of cron (minute hour day-of-month month day-of-week)");
    }
    CronSchedule schedule = new CronSchedule(trimmed, fields);
    if (schedule.next(Instant.EPOCH).isEmpty()) {
      throw new IllegalArgumentException("never comes due (no such day)");
    }
    return schedule;
  }

  /** The schedule as written (trimmed). */
  public String text() {
    return text;
  }

  /** Whether the schedule is due at the minute {@code at} falls in. */
  public boolean matches(Instant at) {
    ZonedDateTime t = at.atZone(ZoneOffset.UTC);
    return minutes.get(t.getMinute())
        && hours.get(t.getHour())
        && months.get(t.getMonthValue())
        && dayMatches(t);
  }

  /**
   * The latest time the schedule came due at or before {@code now} and no earlier than {@code
   * since}: a minute's start. Empty when it did not come due in between.
   */
  public Optional<Instant> latestDue(Instant now, Instant since) {
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    for (; !minute.isBefore(since); minute = minute.minus(1, ChronoUnit.MINUTES)) {
      if (matches(minute)) {
        return Optional.of(minute);
      }
    }
    return Optional.empty();
  }

  /** The first time the schedule comes due after {@code after}; empty when it never does. */
  public Optional<Instant> next(Instant after) {
    ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime end = t.plusYears(HORIZON_YEARS);
    while (t.isBefore(end)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t.toInstant());
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(
      String field, String name, int min, int max, List<String> names, int firstName) {
    BitSet set = new BitSet(max + 1);
    for (String item : field.split(",", -1)) {
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), name + " step", 1, max - min + 1, List.of(), 0);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        from = number(range.substring(0, range.indexOf('-')), name, min, max, names, firstName);
        to = number(range.substring(range.indexOf('-') + 1), name, min, max, names, firstName);
        if (from > to) {
          throw new IllegalArgumentException(
              "has a " + name + " range that runs backwards (" + range + ")");
        }
      } else {
        from = number(range, name, min, max, names, firstName);
        to = slash >= 0 ? max : from; // 5/15: from 5 on, every 15
      }
      for (int i = from; i <= to; i += step) {
        set.set(i);
      }
    }
    return set;
  }

  private static int number(
      String text, String name, int min, int max, List<String> names, int firstName) {
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + firstName;
    }
    if (!text.matches("[0-9]{1,2}")) {
      throw new IllegalArgumentException(
          "has a "
              + name
              + " that is not a number from "
              + min
              + " to "
              + max
              + ": '"
              + text
              + "'");
    }
    int value = Integer.parseInt(text);
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "has a " + name + " outside " + min + " to " + max + ": " + value);
    }
    return value;
  }

  /** Two schedules are equal when written the same (trimmed). */
  @Override
  public boolean equals(Object other) {
    return other instanceof CronSchedule schedule && schedule.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
