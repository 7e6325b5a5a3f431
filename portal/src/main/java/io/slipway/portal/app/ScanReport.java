package io.slipway.portal.app;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A built image's vulnerability scan as its build page shows it: the findings, worst first, and how
 * many there are of each severity.
 *
 * @param signed whether the platform's signature on the image verifies
 * @param keyId the signing key's id
 * @param advisoryRevision the advisory database the scan used
 * @param findings build-service's findings ({@code advisoryId}, {@code package}, {@code version},
 *     {@code severity}, {@code fixedVersion}, ...), worst first
 * @param counts the number of findings per severity, worst first, only those that occur
 */
public record ScanReport(
    boolean signed,
    String keyId,
    String advisoryRevision,
    List<JsonNode> findings,
    Map<String, Integer> counts) {

  /** Severities from the worst; {@code UNKNOWN} (no rating) last. */
  static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");

  static ScanReport of(JsonNode scan) {
    List<JsonNode> findings =
        scan.path("findings")
            .valueStream()
            .sorted(
                Comparator.comparingInt((JsonNode f) -> rank(f.path("severity").asString("")))
                    .thenComparing(f -> f.path("package").asString("")))
            .toList();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String severity : SEVERITIES) {
      int count = (int) findings.stream().filter(f -> severity.equals(severityOf(f))).count();
      if (count > 0) {
        counts.put(severity, count);
      }
    }
    return new ScanReport(
        scan.path("signed").asBoolean(false),
        scan.path("keyId").asString(""),
        scan.path("advisoryRevision").asString(""),
        findings,
        counts);
  }

  /** A finding's severity, one of {@link #SEVERITIES}. */
  public static String severityOf(JsonNode finding) {
    String severity = finding.path("severity").asString("");
    return SEVERITIES.contains(severity) ? severity : "UNKNOWN";
  }

  private static int rank(String severity) {
    int rank = SEVERITIES.indexOf(severity);
    return rank < 0 ? SEVERITIES.size() : rank;
  }
}
