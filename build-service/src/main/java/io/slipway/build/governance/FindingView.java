package io.slipway.build.governance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.slipway.governance.advisory.Finding;
import java.util.List;

/**
 * One vulnerability finding as the API shows and the database stores it.
 *
 * @param advisoryId the OSV id
 * @param aliases its other ids (often the CVE)
 * @param packageName the affected package ({@code package} in JSON)
 * @param version the installed version
 * @param ecosystem the package's ecosystem ({@code Debian}, {@code npm}, ...)
 * @param severity {@code LOW} to {@code CRITICAL}, or {@code UNKNOWN}
 * @param fixedVersion the first fixed version above the installed one, or null
 * @param summary the advisory's summary
 */
record FindingView(
    String advisoryId,
    List<String> aliases,
    @JsonProperty("package") String packageName,
    String version,
    String ecosystem,
    String severity,
    String fixedVersion,
    String summary) {

  static FindingView of(Finding finding) {
    return new FindingView(
        finding.advisoryId(),
        finding.aliases(),
        finding.component().name(),
        finding.component().version(),
        finding.component().ecosystem().osvName(),
        finding.severity().name(),
        finding.fixedVersion(),
        finding.summary());
  }
}
