package io.slipway.governance.advisory;

import io.slipway.governance.sbom.Ecosystem;
import java.util.List;

/**
 * One OSV record, reduced to what matching needs.
 *
 * @param id the OSV id ({@code GHSA-...}, {@code DSA-...}, {@code CVE-...})
 * @param aliases other ids of the same vulnerability
 * @param summary one line, or the start of {@code details}
 * @param modified the record's {@code modified} timestamp as written
 * @param severity the record-level severity
 * @param score the CVSS v3 base score, or {@code null}
 * @param affected the packages it affects
 */
public record Advisory(
    String id,
    List<String> aliases,
    String summary,
    String modified,
    Severity severity,
    Double score,
    List<Affected> affected) {

  public Advisory {
    aliases = List.copyOf(aliases);
    affected = List.copyOf(affected);
  }

  /**
   * One {@code affected[]} entry.
   *
   * @param ecosystem the ecosystem
   * @param release the release after the ecosystem's colon ({@code 12} of {@code Debian:12}), or
   *     {@code null} for all releases
   * @param name the package name, normalised as the ecosystem compares names
   * @param ranges the version ranges
   * @param versions versions listed explicitly as affected
   * @param severity a severity specific to this package, or {@code null} to use the record's
   * @param score its CVSS v3 base score, or {@code null}
   */
  public record Affected(
      Ecosystem ecosystem,
      String release,
      String name,
      List<Range> ranges,
      List<String> versions,
      Severity severity,
      Double score) {

    public Affected {
      ranges = List.copyOf(ranges);
      versions = List.copyOf(versions);
    }
  }

  /**
   * A range: its type and its events, in the order the record lists them.
   *
   * @param type {@code ECOSYSTEM}, {@code SEMVER} or {@code GIT} (git ranges are never matched: an
   *     SBOM has no commits)
   */
  public record Range(String type, List<Event> events) {

    public Range {
      events = List.copyOf(events);
    }
  }

  /** One range event: what kind, at which version. */
  public record Event(Kind kind, String version) {}

  /** OSV's event kinds. */
  public enum Kind {
    INTRODUCED,
    FIXED,
    LAST_AFFECTED,
    LIMIT
  }
}
