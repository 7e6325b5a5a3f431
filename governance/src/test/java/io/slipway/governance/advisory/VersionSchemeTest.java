package io.slipway.governance.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionSchemeTest {

  /** Asserts each version sorts strictly before the next, in both directions. */
  private static void assertAscending(VersionScheme scheme, String... versions) {
    for (int i = 0; i + 1 < versions.length; i++) {
      assertThat(scheme.compare(versions[i], versions[i + 1]))
          .as("%s < %s", versions[i], versions[i + 1])
          .isNegative();
      assertThat(scheme.compare(versions[i + 1], versions[i]))
          .as("%s > %s", versions[i + 1], versions[i])
          .isPositive();
    }
  }

  private static void assertEqual(VersionScheme scheme, String a, String b) {
    assertThat(scheme.compare(a, b)).as("%s = %s", a, b).isZero();
    assertThat(scheme.compare(b, a)).as("%s = %s", b, a).isZero();
  }

  @Test
  void debianOrdersEpochsUpstreamTildeAndRevisions() {
    VersionScheme debian = new DebianVersionScheme();
    assertAscending(
        debian, "1.0~rc1", "1.0", "1.0-1", "1.0-1+deb12u1", "1.0-2", "1.0a", "1.0+dfsg", "1.1");
    assertAscending(debian, "1.0~~", "1.0~~a", "1.0~", "1.0");
    assertAscending(debian, "9.9.9", "1:0.1", "2:0.0.1");
    assertAscending(
        debian, "3.0.11-1~deb12u2", "3.0.11-1~deb12u3", "3.0.13-1~deb12u1", "3.0.15-1~deb12u1");
    assertAscending(debian, "2.36-9", "2.36-9+deb12u4", "2.36-10");
    assertAscending(debian, "1.2", "1.10");
    assertEqual(debian, "1.0", "0:1.0");
    assertEqual(debian, "1.0", "1.0-0");
    assertEqual(debian, "1.001", "1.1");
  }

  @Test
  void npmFollowsSemVerPrecedenceIncludingPrereleases() {
    VersionScheme npm = new SemVerScheme();
    // SemVer 2.0 §11's own example.
    assertAscending(
        npm,
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0");
    assertAscending(npm, "1.9.0", "1.10.0", "1.10.1", "2.0.0");
    assertEqual(npm, "1.0.0+build.1", "1.0.0+build.2");
    assertEqual(npm, "v1.2.3", "1.2.3");
    assertThatThrownBy(() -> npm.compare("1.2", "1.2.0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void goOrdersVPrefixedVersionsAndPseudoVersions() {
    VersionScheme go = new GoVersionScheme();
    assertAscending(
        go,
        "v0.0.0-20191109021931-daa7c04131f5",
        "v0.0.0-20220101000000-aaaaaaaaaaaa",
        "v0.1.0",
        "v1.2.3-pre",
        "v1.2.3",
        "v1.2.4-0.20230101000000-abcdefabcdef",
        "v1.2.4");
    assertEqual(go, "v2.0.0+incompatible", "2.0.0");
  }

  @Test
  void mavenOrdersQualifiersAndPadsWithNulls() {
    VersionScheme maven = new MavenVersionScheme();
    assertAscending(
        maven,
        "1.0-alpha-1",
        "1.0-alpha-2",
        "1.0-beta-1",
        "1.0-milestone-1",
        "1.0-rc1",
        "1.0-SNAPSHOT",
        "1.0",
        "1.0-sp1",
        "1.0-foo",
        "1.0.1");
    assertAscending(maven, "2.9", "2.10", "2.10.1");
    assertAscending(maven, "1.0.0-RC1", "1.0.0-RC2", "1.0.0");
    assertAscending(maven, "1-foo2", "1-foo10");
    assertAscending(maven, "1-sp-1", "1-ga-1");
    assertEqual(maven, "1", "1.0.0");
    assertEqual(maven, "1.ga", "1-0");
    assertEqual(maven, "1.0.FINAL", "1.0");
    assertEqual(maven, "1.0.RELEASE", "1.0");
    assertEqual(maven, "1-a1", "1-alpha-1");
    assertEqual(maven, "1.0-cr1", "1.0-rc1");
    assertEqual(maven, "1.0-ALPHA1", "1.0-alpha1");
    assertAscending(maven, "2.15.0-rc1", "2.15.0", "2.15.1", "2.16.0");
  }

  @Test
  void pep440OrdersDevPrePostAndLocal() {
    VersionScheme pep = new Pep440Scheme();
    // PEP 440's own summary of ordering within a release.
    assertAscending(
        pep,
        "1.0.dev456",
        "1.0a1",
        "1.0a2.dev456",
        "1.0a12.dev456",
        "1.0a12",
        "1.0b1.dev456",
        "1.0b2",
        "1.0b2.post345.dev456",
        "1.0b2.post345",
        "1.0rc1.dev456",
        "1.0rc1",
        "1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0.post456.dev34",
        "1.0.post456",
        "1.0.15",
        "1.1.dev1");
    assertAscending(pep, "2.0", "1!0.1");
    assertEqual(pep, "1.0", "1.0.0");
    assertEqual(pep, "1.0-1", "1.0.post1");
    assertEqual(pep, "1.0alpha1", "1.0a1");
    assertEqual(pep, "1.0c1", "1.0rc1");
    assertEqual(pep, "v1.0", "1.0");
    assertEqual(pep, "1.0.post", "1.0.post0");
    assertThatThrownBy(() -> pep.compare("not-a-version", "1.0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyScannedEcosystemButAlpineHasAScheme() {
    assertThat(
            List.of(io.slipway.governance.sbom.Ecosystem.values()).stream()
                .filter(e -> VersionScheme.forEcosystem(e).isEmpty()))
        .containsExactly(io.slipway.governance.sbom.Ecosystem.ALPINE);
  }
}
