package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds.Finding;
import io.slipway.kit.client.AppBuilds.Scan;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built image's vulnerability scan as its build page shows it: the findings, worst first, and how
 * many there are of each severity.
 *
 * @param signed whether the platform's signature on the image verifies
 * @param keyId the signing key's id
 * @param advisoryRevision the advisory database the scan used
 * @param findings build-service's findings, worst first
 * @param counts the number of findings per severity, worst first, only those that occur
 */
public record ScanReport(
    boolean signed,
    String keyId,
    String advisoryRevision,
    List<Finding> findings,
    Map<String, Integer> counts) {

  /** Severities from the worst; {@code UNKNOWN} (no rating) last. */
  static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");

  static ScanReport of(Scan scan) {
    List<Finding> findings =
        (scan.findings() == null ? List.<Finding>of() : scan.findings())
            .stream()
                .sorted(
                    Comparator.comparingInt((Finding f) -> rank(f.severity()))
                        .thenComparing(f -> f.packageName() == null ? "" : f.packageName()))
                .toList();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String severity : SEVERITIES) {
      int count = (int) findings.stream().filter(f -> severity.equals(severityOf(f))).count();
      if (count > 0) {
        counts.put(severity, count);
      }
    }
    return new ScanReport(
        scan.signed(),
        scan.keyId() == null ? "" : scan.keyId(),
        scan.advisoryRevision() == null ? "" : scan.advisoryRevision(),
        findings,
        counts);
  }

  /** A finding's severity, one of {@link #SEVERITIES}. */
  public static String severityOf(Finding finding) {
    String severity = finding.severity();
    return severity != null && SEVERITIES.contains(severity) ? severity : "UNKNOWN";
  }

  private static int rank(String severity) {
    int rank = severity == null ? -1 : SEVERITIES.indexOf(severity);
    return rank < 0 ? SEVERITIES.size() : rank;
  }
}
