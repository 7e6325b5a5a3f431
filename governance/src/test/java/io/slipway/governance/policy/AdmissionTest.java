package io.slipway.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.advisory.Finding;
import io.slipway.governance.advisory.Severity;
import io.slipway.governance.sbom.Component;
import io.slipway.governance.sbom.Ecosystem;
import io.slipway.governance.signing.SignatureCheck;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private static final String DIGEST = "sha256:" + "3a".repeat(32);
  private static final String MOVED = "sha256:" + "b7".repeat(32);
  private static final String REF = "localhost/slipway/acme/web/site:1a2b";
  private static final String REPO = "localhost/slipway/acme/web/site";
  private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");
  private static final SignatureCheck SIGNED = new SignatureCheck(true, DIGEST, REPO, "k1", null);

  private static final ImagePolicy STRICT =
      new ImagePolicy(true, List.of("localhost/slipway"), Severity.MEDIUM, true, List.of());

  private static final Finding OPENSSL_HIGH =
      new Finding(
          "CVE-2024-1234",
          List.of(),
          Component.library(Ecosystem.DEBIAN, "openssl", "3.0.11", "/var/lib/dpkg/status"),
          Severity.HIGH,
          7.5,
          "3.0.13",
          "test");

  private static AdmissionFacts facts(
      String reference, String pinned, SignatureCheck signature, List<Finding> findings) {
    return new AdmissionFacts(reference, pinned, signature, pinned, findings);
  }

  @Test
  void aSignedCleanImageFromAnAllowedRegistryIsAdmitted() {
    Decision decision = Admission.evaluate(STRICT, facts(REF, DIGEST, SIGNED, List.of()), NOW);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.reasons()).isEmpty();
  }

  @Test
  void anUnsignedImageIsRefused() {
    Decision decision = Admission.evaluate(STRICT, facts(REF, DIGEST, null, List.of()), NOW);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasons()).containsExactly("image is not signed by the platform key");
  }

  @Test
  void anImageSignedByAnotherKeyIsRefused() {
    SignatureCheck wrongKey =
        new SignatureCheck(
            false, DIGEST, REPO, null, "the signature was not made by a trusted platform key");

    Decision decision = Admission.evaluate(STRICT, facts(REF, DIGEST, wrongKey, List.of()), NOW);

    assertThat(decision.reasons())
        .containsExactly(
            "image is not signed by the platform key: the signature was not made by a trusted platform key");
  }

  @Test
  void aTagMovedToAnotherImageIsRefused() {
    // The signature is valid, but for the digest the tag pointed at when it was signed.
    Decision decision = Admission.evaluate(STRICT, facts(REF, MOVED, SIGNED, List.of()), NOW);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasons())
        .containsExactly(
            "the platform signature is for "
                + DIGEST
                + ", not for the image to run "
                + MOVED
                + " (the tag now points at another image)");
  }

  @Test
  void aReferencePinningADigestMustPinTheOneToRun() {
    Decision decision =
        Admission.evaluate(STRICT, facts(REPO + "@" + DIGEST, MOVED, null, List.of()), NOW);

    assertThat(decision.reasons())
        .contains("the reference pins " + DIGEST + " but the image to run is " + MOVED);
  }

  @Test
  void aSignatureForAnotherRepositoryIsRefused() {
    SignatureCheck elsewhere =
        new SignatureCheck(true, DIGEST, "localhost/slipway/other/app/site", "k1", null);

    Decision decision = Admission.evaluate(STRICT, facts(REF, DIGEST, elsewhere, List.of()), NOW);

    assertThat(decision.reasons())
        .containsExactly(
            "the platform signature is for localhost/slipway/other/app/site, not for " + REPO);
  }

  @Test
  void anImageFromAnotherRegistryIsRefusedWithTheAllowList() {
    Decision decision =
        Admission.evaluate(STRICT, facts("ghcr.io/acme/app:1", DIGEST, null, List.of()), NOW);

    assertThat(decision.reasons())
        .containsExactly(
            "registry ghcr.io is not allowed (allowed: localhost/slipway)",
            "image is not signed by the platform key");
  }

  @Test
  void anotherRepositoryOnAnAllowedHostIsNamedAsSuch() {
    ImagePolicy unsigned =
        new ImagePolicy(false, List.of("localhost/slipway"), Severity.CRITICAL, true, List.of());

    Decision decision =
        Admission.evaluate(unsigned, facts("localhost/other/app:1", DIGEST, null, List.of()), NOW);

    assertThat(decision.reasons())
        .containsExactly(
            "repository localhost/other/app is not allowed (allowed: localhost/slipway)");
  }

  @Test
  void aVulnerabilityAboveTheLimitIsRefusedWithItsFix() {
    Decision decision =
        Admission.evaluate(STRICT, facts(REF, DIGEST, SIGNED, List.of(OPENSSL_HIGH)), NOW);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasons())
        .containsExactly(
            "CVE-2024-1234 in openssl 3.0.11 is HIGH, above the policy's MEDIUM; fixed in 3.0.13");
  }

  @Test
  void vulnerabilitiesAtOrBelowTheLimitPass() {
    Finding medium =
        new Finding(
            "GHSA-xxxx-yyyy-zzzz",
            List.of("CVE-2024-9"),
            OPENSSL_HIGH.component(),
            Severity.MEDIUM,
            5.0,
            null,
            "t");

    assertThat(
            Admission.evaluate(STRICT, facts(REF, DIGEST, SIGNED, List.of(medium)), NOW).allowed())
        .isTrue();
  }

  @Test
  void anUnratedAdvisoryCountsAsCriticalAndNamesItsCve() {
    Finding unrated =
        new Finding(
            "GHSA-aaaa-bbbb-cccc",
            List.of("CVE-2024-7"),
            OPENSSL_HIGH.component(),
            Severity.UNKNOWN,
            null,
            null,
            "t");
    ImagePolicy high = new ImagePolicy(false, List.of("*"), Severity.HIGH, true, List.of());

    Decision decision = Admission.evaluate(high, facts(REF, DIGEST, null, List.of(unrated)), NOW);

    assertThat(decision.reasons())
        .containsExactly(
            "GHSA-aaaa-bbbb-cccc (CVE-2024-7) in openssl 3.0.11 has no severity rating (counted as CRITICAL), above the policy's HIGH; no fixed version is known");
  }

  @Test
  void aWaiverLetsAKnownVulnerabilityThroughUntilItExpires() {
    Instant expiry = Instant.parse("2026-12-01T00:00:00Z");
    ImagePolicy waived =
        new ImagePolicy(
            true,
            List.of("localhost/slipway"),
            Severity.MEDIUM,
            true,
            List.of(new Waiver("CVE-2024-1234", "only the CLI uses it", expiry)));
    AdmissionFacts facts = facts(REF, DIGEST, SIGNED, List.of(OPENSSL_HIGH));

    Decision before = Admission.evaluate(waived, facts, expiry.minusSeconds(1));
    assertThat(before.allowed()).isTrue();
    assertThat(before.waived())
        .containsExactly(
            "CVE-2024-1234 in openssl 3.0.11 is HIGH, above the policy's MEDIUM; fixed in 3.0.13 — waived until 2026-12-01T00:00:00Z: only the CLI uses it");

    Decision after = Admission.evaluate(waived, facts, expiry);
    assertThat(after.allowed()).isFalse();
    assertThat(after.reasons())
        .containsExactly(
            "CVE-2024-1234 in openssl 3.0.11 is HIGH, above the policy's MEDIUM; fixed in 3.0.13",
            "waiver for CVE-2024-1234 expired on 2026-12-01T00:00:00Z");
  }

  @Test
  void aWaiverMatchesAnAliasButNotAnotherAdvisory() {
    Finding ghsa =
        new Finding(
            "GHSA-1111-2222-3333",
            List.of("CVE-2024-5555"),
            OPENSSL_HIGH.component(),
            Severity.HIGH,
            7.5,
            null,
            "t");
    Instant later = NOW.plusSeconds(3600);
    ImagePolicy byCve =
        new ImagePolicy(
            false,
            List.of("*"),
            Severity.MEDIUM,
            true,
            List.of(new Waiver("CVE-2024-5555", "r", later)));
    ImagePolicy other =
        new ImagePolicy(
            false,
            List.of("*"),
            Severity.MEDIUM,
            true,
            List.of(new Waiver("CVE-2024-6666", "r", later)));

    assertThat(Admission.evaluate(byCve, facts(REF, DIGEST, null, List.of(ghsa)), NOW).allowed())
        .isTrue();
    assertThat(Admission.evaluate(other, facts(REF, DIGEST, null, List.of(ghsa)), NOW).allowed())
        .isFalse();
  }

  @Test
  void scanResultsMustBeForTheImageToRun() {
    AdmissionFacts unscanned = new AdmissionFacts(REF, DIGEST, SIGNED, null, List.of());
    AdmissionFacts stale = new AdmissionFacts(REF, DIGEST, SIGNED, MOVED, List.of());

    assertThat(Admission.evaluate(STRICT, unscanned, NOW).reasons())
        .containsExactly("the image " + DIGEST + " has not been scanned for vulnerabilities");
    assertThat(Admission.evaluate(STRICT, stale, NOW).reasons())
        .containsExactly(
            "the vulnerability scan is for " + MOVED + ", not for the image to run " + DIGEST);
  }

  @Test
  void everyFailedRuleIsReported() {
    Decision decision =
        Admission.evaluate(
            STRICT, facts("ghcr.io/acme/app:1", DIGEST, null, List.of(OPENSSL_HIGH)), NOW);

    assertThat(decision.reasons()).hasSize(3);
  }

  @Test
  void aPermissivePolicyAdmitsAnything() {
    assertThat(
            Admission.evaluate(
                    ImagePolicy.PERMISSIVE,
                    new AdmissionFacts("ghcr.io/x/y:1", DIGEST, null, null, List.of(OPENSSL_HIGH)),
                    NOW)
                .allowed())
        .isTrue();
  }
}
