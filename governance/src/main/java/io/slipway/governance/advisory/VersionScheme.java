package io.slipway.governance.advisory;

import io.slipway.governance.sbom.Ecosystem;
import java.util.Optional;

/**
 * The ordering of versions in one ecosystem. Implementations are stateless and thread-safe.
 *
 * <p>{@link #compare} throws {@link IllegalArgumentException} for a version the scheme cannot order
 * (an unparsable PEP 440 or SemVer version); the matcher treats such a range as not matching and
 * says so in no finding, because guessing an order would give wrong answers either way.
 */
public interface VersionScheme {

  /** Negative, zero or positive as {@code a} sorts before, equal to or after {@code b}. */
  int compare(String a, String b);

  /** The scheme OSV's {@code ECOSYSTEM} ranges use for this ecosystem; empty if none is known. */
  static Optional<VersionScheme> forEcosystem(Ecosystem ecosystem) {
    return switch (ecosystem) {
      case DEBIAN -> Optional.of(new DebianVersionScheme());
      case NPM -> Optional.of(new SemVerScheme());
      case MAVEN -> Optional.of(new MavenVersionScheme());
      case PYPI -> Optional.of(new Pep440Scheme());
      case GO -> Optional.of(new GoVersionScheme());
      case ALPINE -> Optional.empty();
    };
  }

  /** The scheme of OSV's {@code SEMVER} ranges (SemVer 2.0; a leading {@code v} is tolerated). */
  static VersionScheme semver() {
    return new GoVersionScheme();
  }
}
