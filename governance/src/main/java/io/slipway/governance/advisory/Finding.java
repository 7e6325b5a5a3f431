package io.slipway.governance.advisory;

import io.slipway.governance.sbom.Component;
import java.util.List;

/**
 * One advisory that applies to one package of an image.
 *
 * @param advisoryId the OSV id
 * @param aliases the advisory's other ids (often the CVE)
 * @param component the affected package
 * @param severity the package-specific severity if the advisory gives one, else the advisory's
 * @param score the CVSS v3 base score, or {@code null}
 * @param fixedVersion the first version after the installed one that fixes it, or {@code null} if
 *     no fix is known
 * @param summary the advisory's summary
 */
public record Finding(
    String advisoryId,
    List<String> aliases,
    Component component,
    Severity severity,
    Double score,
    String fixedVersion,
    String summary) {

  public Finding {
    aliases = List.copyOf(aliases);
  }

  /** Whether {@code id} names this finding's advisory, by its id or one of its aliases. */
  public boolean isKnownAs(String id) {
    return advisoryId.equalsIgnoreCase(id)
        || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(id));
  }
}
