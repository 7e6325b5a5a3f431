package io.slipway.governance.sbom;

import java.util.Objects;

/**
 * One package found in an image.
 *
 * @param ecosystem where the package comes from
 * @param name the package name as its ecosystem spells it: a Debian binary package, {@code
 *     group:artifact} for Maven, {@code @scope/name} for npm, the normalised project name for PyPI,
 *     the module path for Go
 * @param version the installed version, exactly as recorded
 * @param purl the package URL
 * @param location the file it was found in (inside a jar: {@code app.jar!/BOOT-INF/lib/x.jar})
 * @param sourceName for Debian, the source package advisories are filed under; otherwise {@code
 *     null}
 * @param sourceVersion for Debian, the source package's version when it differs; otherwise {@code
 *     null}
 * @param distroRelease the distribution release, e.g. {@code 12} for Debian bookworm; or {@code
 *     null}
 */
public record Component(
    Ecosystem ecosystem,
    String name,
    String version,
    String purl,
    String location,
    String sourceName,
    String sourceVersion,
    String distroRelease) {

  public Component {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(purl, "purl");
  }

  /** A language package: no source package, no distribution release. */
  public static Component library(
      Ecosystem ecosystem, String name, String version, String location) {
    return new Component(
        ecosystem, name, version, Purl.of(ecosystem, name, version), location, null, null, null);
  }

  /** The name advisories use for this package (Debian advisories are filed by source package). */
  public String advisoryName() {
    return sourceName != null ? sourceName : name;
  }

  /** The version advisories compare against. */
  public String advisoryVersion() {
    return sourceVersion != null ? sourceVersion : version;
  }
}
