package io.slipway.governance.sbom;

import java.util.Arrays;
import java.util.Optional;

/** The package ecosystems an SBOM lists, with their OSV and purl names. */
public enum Ecosystem {
  DEBIAN("Debian", "deb"),
  ALPINE("Alpine", "apk"),
  MAVEN("Maven", "maven"),
  NPM("npm", "npm"),
  PYPI("PyPI", "pypi"),
  GO("Go", "golang");

  private final String osvName;
  private final String purlType;

  Ecosystem(String osvName, String purlType) {
    this.osvName = osvName;
    this.purlType = purlType;
  }

  /** The name OSV uses in {@code affected[].package.ecosystem}, without a release suffix. */
  public String osvName() {
    return osvName;
  }

  /** The package-url type, e.g. {@code deb} or {@code golang}. */
  public String purlType() {
    return purlType;
  }

  /** The ecosystem of an OSV ecosystem string such as {@code Debian:12} or {@code PyPI}. */
  public static Optional<Ecosystem> fromOsv(String osvEcosystem) {
    String base =
        osvEcosystem.contains(":")
            ? osvEcosystem.substring(0, osvEcosystem.indexOf(':'))
            : osvEcosystem;
    return Arrays.stream(values()).filter(e -> e.osvName.equals(base)).findFirst();
  }

  /** The ecosystem of a purl type. */
  public static Optional<Ecosystem> fromPurlType(String type) {
    return Arrays.stream(values()).filter(e -> e.purlType.equals(type)).findFirst();
  }
}
