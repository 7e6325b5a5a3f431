package io.slipway.governance.advisory;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.sbom.Component;
import io.slipway.governance.sbom.Ecosystem;
import io.slipway.governance.sbom.Purl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Matching advisories to packages by version range, for each ecosystem, with its own ordering. */
class AdvisoryMatchingTest {

  private final AdvisoryDatabase db = new AdvisoryDatabase();

  private void load(String json) {
    ImportReport report = db.importJson("test.json", json.getBytes(StandardCharsets.UTF_8));
    assertThat(report.problems()).isEmpty();
  }

  private static String osv(String id, String ecosystem, String name, String ranges) {
    return """
        {"id": "%s", "modified": "2024-01-01T00:00:00Z", "summary": "test advisory",
         "affected": [{"package": {"ecosystem": "%s", "name": "%s"}, "ranges": [%s]}]}
        """
        .formatted(id, ecosystem, name, ranges);
  }

  private static String range(String type, String... events) {
    StringBuilder json = new StringBuilder("{\"type\": \"" + type + "\", \"events\": [");
    for (int i = 0; i < events.length; i += 2) {
      json.append(i == 0 ? "" : ", ")
          .append("{\"")
          .append(events[i])
          .append("\": \"")
          .append(events[i + 1])
          .append("\"}");
    }
    return json.append("]}").toString();
  }

  private List<String> matches(Ecosystem ecosystem, String name, String version) {
    return db.match(Component.library(ecosystem, name, version, "/test")).stream()
        .map(Finding::advisoryId)
        .toList();
  }

  private static Component debian(String binary, String source, String version, String release) {
    return new Component(
        Ecosystem.DEBIAN,
        binary,
        version,
        Purl.of(Ecosystem.DEBIAN, binary, version),
        "/var/lib/dpkg/status",
        source,
        null,
        release);
  }

  @Test
  void debianMatchesBySourcePackageReleaseAndDpkgOrder() {
    load(
        osv(
            "DSA-0001-1",
            "Debian:12",
            "openssl",
            range("ECOSYSTEM", "introduced", "0", "fixed", "3.0.13-1~deb12u1")));
    load(
        osv(
            "DSA-0002-1",
            "Debian:11",
            "openssl",
            range("ECOSYSTEM", "introduced", "0", "fixed", "1.1.1w-0+deb11u2")));

    List<Finding> vulnerable = db.match(debian("libssl3", "openssl", "3.0.11-1~deb12u2", "12"));
    assertThat(vulnerable).extracting(Finding::advisoryId).containsExactly("DSA-0001-1");
    assertThat(vulnerable.get(0).fixedVersion()).isEqualTo("3.0.13-1~deb12u1");
    assertThat(vulnerable.get(0).component().name()).isEqualTo("libssl3");

    assertThat(db.match(debian("libssl3", "openssl", "3.0.13-1~deb12u1", "12"))).isEmpty();
    assertThat(db.match(debian("libssl3", "openssl", "3.0.15-1~deb12u1", "12"))).isEmpty();
    // The binary package's own name is not what Debian files advisories under.
    assertThat(db.match(debian("openssl-provider", "libfoo", "1.0", "12"))).isEmpty();
  }

  @Test
  void dpkgPackagesOfOtherDistributionsAreNotMatchedAgainstDebianAdvisories() {
    load(osv("DEBIAN-CVE-2024-0009", "Debian", "openssl", range("ECOSYSTEM", "introduced", "0")));
    Component ubuntu =
        new Component(
            Ecosystem.DEBIAN,
            "libssl3",
            "3.0.2-0ubuntu1.15",
            "pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04",
            "/var/lib/dpkg/status",
            "openssl",
            null,
            null);

    assertThat(db.match(ubuntu)).isEmpty();
    assertThat(db.match(debian("libssl3", "openssl", "3.0.2-1", null))).hasSize(1);
  }

  @Test
  void debianEpochTildeAndRevisionDecideTheRange() {
    load(
        osv(
            "DEBIAN-CVE-2024-0001",
            "Debian",
            "epochpkg",
            range("ECOSYSTEM", "introduced", "0", "fixed", "1:2.0-1")));
    load(
        osv(
            "DEBIAN-CVE-2024-0002",
            "Debian",
            "tildepkg",
            range("ECOSYSTEM", "introduced", "0", "fixed", "1.0")));
    load(
        osv(
            "DEBIAN-CVE-2024-0003",
            "Debian",
            "revpkg",
            range("ECOSYSTEM", "introduced", "2.0-1", "fixed", "2.0-3")));

    assertThat(db.match(debian("epochpkg", "epochpkg", "9.9-1", "12")))
        .hasSize(1); // no epoch < epoch 1
    assertThat(db.match(debian("epochpkg", "epochpkg", "1:2.0-1", "12"))).isEmpty();
    assertThat(db.match(debian("tildepkg", "tildepkg", "1.0~rc1-1", "12")))
        .hasSize(1); // ~ sorts first
    assertThat(db.match(debian("tildepkg", "tildepkg", "1.0-1", "12"))).isEmpty();
    assertThat(db.match(debian("revpkg", "revpkg", "2.0-2", "12"))).hasSize(1);
    assertThat(db.match(debian("revpkg", "revpkg", "2.0-1~bpo1", "12")))
        .isEmpty(); // before introduced
    assertThat(db.match(debian("revpkg", "revpkg", "2.0-3", "12"))).isEmpty();
  }

  @Test
  void npmMatchesSemVerRangesIncludingPrereleases() {
    load(
        osv(
            "GHSA-npm-0001",
            "npm",
            "lodash",
            range("SEMVER", "introduced", "4.0.0", "fixed", "4.17.21")));
    load(
        osv(
            "GHSA-npm-0002",
            "npm",
            "@scope/pkg",
            range("SEMVER", "introduced", "0", "fixed", "1.10.0")));

    assertThat(matches(Ecosystem.NPM, "lodash", "4.17.20")).containsExactly("GHSA-npm-0001");
    assertThat(matches(Ecosystem.NPM, "lodash", "4.17.21-beta.1")).containsExactly("GHSA-npm-0001");
    assertThat(matches(Ecosystem.NPM, "lodash", "4.17.21")).isEmpty();
    assertThat(matches(Ecosystem.NPM, "lodash", "3.10.1")).isEmpty();
    assertThat(matches(Ecosystem.NPM, "Lodash", "4.17.20")).isEmpty(); // npm names are exact
    assertThat(matches(Ecosystem.NPM, "@scope/pkg", "1.9.9")).containsExactly("GHSA-npm-0002");
    assertThat(matches(Ecosystem.NPM, "@scope/pkg", "1.10.0"))
        .isEmpty(); // 1.10 > 1.9, not a string compare
  }

  @Test
  void mavenMatchesWithQualifierOrdering() {
    load(
        osv(
            "GHSA-jfh8-c2jp-5v3q",
            "Maven",
            "org.apache.logging.log4j:log4j-core",
            range("ECOSYSTEM", "introduced", "2.0-beta9", "fixed", "2.15.0")));

    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1"))
        .hasSize(1);
    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.15.0-rc1"))
        .hasSize(1);
    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.0-rc1"))
        .hasSize(1);
    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.0-beta8"))
        .isEmpty();
    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.15.0")).isEmpty();
    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.15.0.RELEASE"))
        .isEmpty();
    assertThat(matches(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-api", "2.14.1")).isEmpty();
  }

  @Test
  void pypiMatchesWithPep440OrderAndNormalisedNames() {
    load(
        osv(
            "PYSEC-0001",
            "PyPI",
            "Requests",
            range("ECOSYSTEM", "introduced", "0", "fixed", "2.31.0")));
    load(
        osv(
            "PYSEC-0002",
            "PyPI",
            "zope.interface",
            range("ECOSYSTEM", "introduced", "1.0", "last_affected", "1.2")));

    assertThat(matches(Ecosystem.PYPI, "requests", "2.30.0")).containsExactly("PYSEC-0001");
    assertThat(matches(Ecosystem.PYPI, "requests", "2.31.0rc1")).containsExactly("PYSEC-0001");
    assertThat(matches(Ecosystem.PYPI, "requests", "2.31.0.dev1")).containsExactly("PYSEC-0001");
    assertThat(matches(Ecosystem.PYPI, "requests", "2.31")).isEmpty();
    assertThat(matches(Ecosystem.PYPI, "requests", "2.31.0.post1")).isEmpty();
    assertThat(matches(Ecosystem.PYPI, "Zope_Interface", "1.2")).containsExactly("PYSEC-0002");
    assertThat(matches(Ecosystem.PYPI, "zope-interface", "1.2.post1")).isEmpty();
    assertThat(matches(Ecosystem.PYPI, "zope-interface", "1.0rc1")).isEmpty();
  }

  @Test
  void goMatchesSemVerRangesWithVPrefixAndPseudoVersions() {
    load(
        osv(
            "GO-2023-2102",
            "Go",
            "golang.org/x/net",
            range("SEMVER", "introduced", "0", "fixed", "0.17.0")));

    assertThat(matches(Ecosystem.GO, "golang.org/x/net", "v0.16.0"))
        .containsExactly("GO-2023-2102");
    assertThat(matches(Ecosystem.GO, "golang.org/x/net", "v0.0.0-20210226172049-e18ecbb05110"))
        .containsExactly("GO-2023-2102");
    assertThat(matches(Ecosystem.GO, "golang.org/x/net", "v0.17.0")).isEmpty();
    assertThat(matches(Ecosystem.GO, "golang.org/x/net", "v0.17.1-0.20231101000000-abcdefabcdef"))
        .isEmpty();
  }

  @Test
  void severalIntroducedFixedPairsLeaveGapsUnaffected() {
    load(
        osv(
            "GHSA-gaps",
            "npm",
            "gappy",
            range(
                "SEMVER",
                "introduced",
                "1.0.0",
                "fixed",
                "1.5.0",
                "introduced",
                "2.0.0",
                "fixed",
                "2.3.0")));

    assertThat(matches(Ecosystem.NPM, "gappy", "1.2.0")).hasSize(1);
    assertThat(matches(Ecosystem.NPM, "gappy", "1.7.0")).isEmpty();
    assertThat(matches(Ecosystem.NPM, "gappy", "2.1.0")).hasSize(1);
    assertThat(
            db.match(Component.library(Ecosystem.NPM, "gappy", "2.1.0", "/x"))
                .get(0)
                .fixedVersion())
        .isEqualTo("2.3.0");
    assertThat(matches(Ecosystem.NPM, "gappy", "2.3.0")).isEmpty();
  }

  @Test
  void limitEventsAndExplicitVersionListsAreHonoured() {
    load(osv("GHSA-limit", "npm", "limited", range("SEMVER", "introduced", "0", "limit", "2.0.0")));
    load(
        """
        {"id": "GHSA-list", "modified": "2024-01-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "npm", "name": "listed"}, "versions": ["1.2.3", "1.2.5"]}]}
        """);

    assertThat(matches(Ecosystem.NPM, "limited", "1.5.0")).hasSize(1);
    assertThat(matches(Ecosystem.NPM, "limited", "2.0.0")).isEmpty();
    assertThat(matches(Ecosystem.NPM, "listed", "1.2.3")).hasSize(1);
    assertThat(matches(Ecosystem.NPM, "listed", "1.2.4")).isEmpty();
    assertThat(
            db.match(Component.library(Ecosystem.NPM, "listed", "1.2.5", "/x"))
                .get(0)
                .fixedVersion())
        .isNull();
  }

  @Test
  void severityComesFromTheCvssVectorElseTheDatabaseLabelElseUnknown() {
    load(
        """
        [{"id": "GHSA-cvss", "modified": "2024-01-01T00:00:00Z",
          "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
          "database_specific": {"severity": "LOW"},
          "affected": [{"package": {"ecosystem": "npm", "name": "a"}, "ranges": [%s]}]},
         {"id": "GHSA-label", "modified": "2024-01-01T00:00:00Z", "database_specific": {"severity": "MODERATE"},
          "affected": [{"package": {"ecosystem": "npm", "name": "a"}, "ranges": [%s]}]},
         {"id": "GHSA-none", "modified": "2024-01-01T00:00:00Z",
          "affected": [{"package": {"ecosystem": "npm", "name": "a"}, "ranges": [%s]}]}]
        """
            .formatted(
                range("SEMVER", "introduced", "0"),
                range("SEMVER", "introduced", "0"),
                range("SEMVER", "introduced", "0")));

    List<Finding> findings = db.match(Component.library(Ecosystem.NPM, "a", "1.0.0", "/x"));
    assertThat(findings)
        .extracting(Finding::advisoryId, Finding::severity, Finding::score)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("GHSA-cvss", Severity.HIGH, 7.5),
            org.assertj.core.groups.Tuple.tuple("GHSA-label", Severity.MEDIUM, null),
            org.assertj.core.groups.Tuple.tuple("GHSA-none", Severity.UNKNOWN, null));
  }

  @Test
  void aPackageLevelSeverityOverridesTheRecordsAndGitRangesAreIgnored() {
    load(
        """
        {"id": "GHSA-pkg-sev", "modified": "2024-01-01T00:00:00Z",
         "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
         "affected": [
           {"package": {"ecosystem": "npm", "name": "low"},
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}],
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]},
           {"package": {"ecosystem": "npm", "name": "plain"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]},
           {"package": {"ecosystem": "npm", "name": "gitonly"},
            "ranges": [{"type": "GIT", "repo": "https://example.org/x.git", "events": [{"introduced": "0"}]}]}]}
        """);

    assertThat(db.match(Component.library(Ecosystem.NPM, "low", "1.0.0", "/x")))
        .extracting(Finding::severity, Finding::score)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.LOW, 1.6));
    assertThat(db.match(Component.library(Ecosystem.NPM, "plain", "1.0.0", "/x")))
        .extracting(Finding::severity, Finding::score)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.CRITICAL, 9.8));
    assertThat(matches(Ecosystem.NPM, "gitonly", "1.0.0")).isEmpty();
  }

  @Test
  void unorderableVersionsDoNotMatchRanges() {
    load(osv("PYSEC-bad", "PyPI", "weird", range("ECOSYSTEM", "introduced", "0", "fixed", "2.0")));

    assertThat(matches(Ecosystem.PYPI, "weird", "1.0")).hasSize(1);
    assertThat(matches(Ecosystem.PYPI, "weird", "not a version")).isEmpty();
  }
}
