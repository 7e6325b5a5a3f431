package io.slipway.portal.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A point in time as the pages show it: relative to now in words ("3 hours ago", "in 29 days"),
 * with the exact time for a hover title and a machine-readable {@code datetime}.
 *
 * @param at the instant, or null for "never"
 * @param now the moment the page was drawn
 */
public record Moment(Instant at, Instant now) {

  private static final DateTimeFormatter EXACT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** True when there is no time to show. */
  public boolean never() {
    return at == null;
  }

  /** {@code just now}, {@code 5 minutes ago}, {@code in 29 days}, or {@code never}. */
  public String relative() {
    if (at == null) {
      return "never";
    }
    Duration between = Duration.between(now, at);
    boolean future = !between.isNegative();
    Duration span = between.abs();
    if (span.toSeconds() < 45) {
      return future ? "in a few seconds" : "just now";
    }
    String amount = amount(span);
    return future ? "in " + amount : amount + " ago";
  }

  /** The exact time, for a hover title: {@code 2026-12-04 13:50:07 UTC}. */
  public String exact() {
    return at == null ? "" : EXACT.format(at);
  }

  /** ISO-8601, for a {@code <time datetime>} attribute. */
  public String iso() {
    return at == null ? "" : at.toString();
  }

  /** Whether the moment has passed. */
  public boolean past() {
    return at != null && at.isBefore(now);
  }

  private static String amount(Duration span) {
    long minutes = Math.max(1, Math.round(span.toSeconds() / 60.0));
    if (minutes < 60) {
      return plural(minutes, "minute");
    }
    long hours = Math.round(minutes / 60.0);
    if (hours < 24) {
      return plural(hours, "hour");
    }
    long days = Math.round(hours / 24.0);
    if (days < 60) {
      return plural(days, "day");
    }
    long months = Math.round(days / 30.44);
    if (months < 24) {
      return plural(months, "month");
    }
    return plural(Math.round(days / 365.25), "year");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
