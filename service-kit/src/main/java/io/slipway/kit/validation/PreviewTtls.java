package io.slipway.kit.validation;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * A preview's TTL (issue 25) as people write it: {@code 7d}, {@code 36h}, {@code 90m} (the form the
 * platform's own settings take) or ISO-8601 ({@code P7D}, {@code PT36H}), between {@link #MIN} and
 * {@link #MAX}. tenant-service holds projects to it and the portal's form checks what is typed
 * against it, so both say the same.
 */
public final class PreviewTtls {

  public static final Duration MIN = Duration.ofHours(1);
  public static final Duration MAX = Duration.ofDays(90);

  /** Longer than any TTL needs: what is parsed stays small. */
  public static final int LENGTH_MAX = 32;

  /** The rule, as said to whoever typed something else. */
  public static final String RULE =
      "a duration such as 7d, 36h or P7D, from " + format(MIN) + " to " + format(MAX);

  private PreviewTtls() {}

  /** The TTL {@code text} names; null when it names none or one out of bounds. */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty() || text.length() > LENGTH_MAX) {
      return null;
    }
    Duration ttl;
    try {
      ttl = DurationStyle.detectAndParse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return ttl.compareTo(MIN) < 0 || ttl.compareTo(MAX) > 0 ? null : ttl;
  }

  /**
   * {@code ttl} in the largest unit that states it exactly: {@code 7d}, {@code 36h}, {@code 90m}.
   */
  public static String format(Duration ttl) {
    long seconds = ttl.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
