package io.slipway.governance.advisory;

import io.slipway.governance.advisory.Advisory.Event;
import io.slipway.governance.advisory.Advisory.Kind;
import io.slipway.governance.advisory.Advisory.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a version falls in an OSV range, following the OSV schema's evaluation: events
 * sorted by version ({@code introduced: "0"} first); walking them, an {@code introduced} at or
 * below the version makes it affected, a {@code fixed} at or below it unaffected, a {@code
 * last_affected} below it unaffected. If the range has {@code limit} events, the version must also
 * be below one.
 */
final class RangeEvaluator {

  private RangeEvaluator() {}

  /**
   * The answer for one range: empty if the version is not affected, otherwise the first fixed
   * version above it (or an empty string when there is none).
   */
  static Optional<String> affected(String version, Range range, VersionScheme scheme) {
    List<Event> events = new ArrayList<>(range.events());
    Comparator<Event> byVersion =
        (a, b) -> {
          boolean az = isZero(a);
          boolean bz = isZero(b);
          if (az || bz) {
            return az == bz ? 0 : az ? -1 : 1;
          }
          return scheme.compare(a.version(), b.version());
        };
    events.sort(byVersion);
    boolean vulnerable = false;
    List<String> limits = new ArrayList<>();
    for (Event e : events) {
      switch (e.kind()) {
        case INTRODUCED -> {
          if (isZero(e) || scheme.compare(version, e.version()) >= 0) {
            vulnerable = true;
          }
        }
        case FIXED -> {
          if (scheme.compare(version, e.version()) >= 0) {
            vulnerable = false;
          }
        }
        case LAST_AFFECTED -> {
          if (scheme.compare(version, e.version()) > 0) {
            vulnerable = false;
          }
        }
        case LIMIT -> limits.add(e.version());
      }
    }
    if (vulnerable && !limits.isEmpty()) {
      vulnerable = limits.stream().anyMatch(l -> l.equals("*") || scheme.compare(version, l) < 0);
    }
    if (!vulnerable) {
      return Optional.empty();
    }
    return Optional.of(
        events.stream()
            .filter(e -> e.kind() == Kind.FIXED && scheme.compare(e.version(), version) > 0)
            .map(Event::version)
            .findFirst()
            .orElse(""));
  }

  private static boolean isZero(Event e) {
    return e.kind() == Kind.INTRODUCED && e.version().equals("0");
  }
}
