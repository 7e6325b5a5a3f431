package io.slipway.governance.advisory;

import java.util.Locale;
import java.util.Optional;

/**
 * How bad a vulnerability is, in CVSS v3's qualitative bands. {@link #UNKNOWN} is for advisories
 * that carry neither a CVSS v3 vector nor a {@code database_specific.severity}; admission ranks it
 * as {@link #CRITICAL} (see {@link #rank()}), so an unrated advisory never slips through a strict
 * policy unnoticed.
 */
public enum Severity {
  NONE,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL,
  UNKNOWN;

  /**
   * The band of a CVSS v3 base score: 0 none, 0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical.
   */
  public static Severity ofScore(double score) {
    if (score == 0) {
      return NONE;
    }
    if (score < 4) {
      return LOW;
    }
    if (score < 7) {
      return MEDIUM;
    }
    return score < 9 ? HIGH : CRITICAL;
  }

  /**
   * A severity word as advisory databases write it: {@code LOW}, {@code MODERATE}/{@code MEDIUM},
   * {@code HIGH}, {@code CRITICAL} (any case).
   */
  public static Optional<Severity> ofLabel(String label) {
    if (label == null) {
      return Optional.empty();
    }
    return switch (label.strip().toUpperCase(Locale.ROOT)) {
      case "NONE" -> Optional.of(NONE);
      case "LOW" -> Optional.of(LOW);
      case "MODERATE", "MEDIUM" -> Optional.of(MEDIUM);
      case "HIGH", "IMPORTANT" -> Optional.of(HIGH);
      case "CRITICAL" -> Optional.of(CRITICAL);
      default -> Optional.empty();
    };
  }

  /** The order admission compares by: {@link #UNKNOWN} counts as {@link #CRITICAL}. */
  public int rank() {
    return this == UNKNOWN ? CRITICAL.ordinal() : ordinal();
  }

  /** Whether this is worse than {@code limit}. */
  public boolean isAbove(Severity limit) {
    return rank() > limit.rank();
  }
}
