package io.slipway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.advisory.Finding;
import io.slipway.governance.advisory.Severity;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.image.SourceImage;
import io.slipway.governance.image.TestImage;
import io.slipway.governance.policy.Decision;
import io.slipway.governance.policy.ImagePolicy;
import io.slipway.governance.policy.Waiver;
import io.slipway.governance.sbom.CycloneDx;
import io.slipway.governance.sbom.SampleImage;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow on real images: build, describe, scan, sign, then admit or refuse as a deploy
 * would — signed, unsigned, wrong key, tampered payload, tag moved to a changed image, waiver
 * before and after expiry.
 */
class ImageGovernanceIT {

  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @TempDir Path tmp;

  private static final class MovableClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void signedImagesDeployAndEverythingElseIsRefusedWithTheReason() throws Exception {
    Path osv = Files.createDirectories(tmp.resolve("osv"));
    Files.writeString(
        osv.resolve("DSA-9999-1.json"),
        """
        {"id": "DSA-9999-1", "modified": "2026-11-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
         "summary": "openssl: test vulnerability",
         "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
         "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.20-1~deb12u1"}]}]}]}
        """);
    Files.writeString(
        osv.resolve("GHSA-test-lodash.json"),
        """
        {"id": "GHSA-test-lodash", "modified": "2026-11-01T00:00:00Z", "database_specific": {"severity": "MODERATE"},
         "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
        """);
    AdvisoryDatabase advisories = new AdvisoryDatabase();
    assertThat(advisories.importFrom(osv).problems()).isEmpty();
    MovableClock clock = new MovableClock();
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    ImageReader reader = new ImageReader(tmp, Duration.ofMinutes(2));
    // build-service holds the keyring; runtime-bridge only the public keys.
    ImageGovernance governance = new ImageGovernance(reader, advisories, keyring, clock);
    ImageGovernance runtime =
        new ImageGovernance(
            reader, advisories, TrustedKeys.load(tmp.resolve("keys/trusted")), clock);

    try (TestImage image = new TestImage()) {
      String ref = SampleImage.build(image, tmp.resolve("sample"));
      SourceImage source = SourceImage.local(ref);

      // Build time: SBOM, scan, signature.
      Sbom sbom = governance.describe(source);
      String digest = sbom.manifestDigest();
      assertThat(sbom.components()).anyMatch(c -> c.name().equals("stdlib")); // the Go binary
      assertThat(CycloneDx.read(CycloneDx.write(sbom))).isEqualTo(sbom);
      List<Finding> findings = governance.scan(sbom);
      assertThat(findings)
          .extracting(Finding::advisoryId, Finding::severity, Finding::fixedVersion)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("DSA-9999-1", Severity.HIGH, "3.0.20-1~deb12u1"),
              org.assertj.core.groups.Tuple.tuple("GHSA-test-lodash", Severity.MEDIUM, "4.17.21"));
      ImageSignature signature = governance.sign(image.repository(), digest);

      ImagePolicy floor =
          new ImagePolicy(
              true, List.of("localhost/slipway-gov-test"), Severity.HIGH, true, List.of());
      ImagePolicy tenant =
          new ImagePolicy(
              true,
              List.of("*"),
              Severity.MEDIUM,
              true,
              List.of(
                  new Waiver(
                      "CVE-2099-0001",
                      "openssl is only used by the health check",
                      T0.plus(Duration.ofDays(7)))));
      ImagePolicy policy = ImagePolicy.tighten(floor, tenant);

      // Deploy of the signed image, pinned by the digest the tag points at now.
      Decision signed =
          runtime.admit(policy, ref, governance.currentDigest(source), signature, sbom);
      assertThat(signed.reasons()).isEmpty();
      assertThat(signed.allowed()).isTrue();
      assertThat(signed.waived())
          .singleElement()
          .asString()
          .startsWith("DSA-9999-1 (CVE-2099-0001) in libssl3 3.0.19-1~deb12u2 is HIGH");

      // Unsigned.
      assertThat(runtime.admit(policy, ref, digest, null, sbom).reasons())
          .containsExactly("image is not signed by the platform key");

      // Signed by a key the platform does not trust.
      ImageSignature foreign =
          Keyring.open(tmp.resolve("foreign-keys")).sign(image.repository(), digest);
      assertThat(runtime.admit(policy, ref, digest, foreign, sbom).reasons())
          .containsExactly(
              "image is not signed by the platform key: the signature was not made by a trusted platform key");

      // The tag moved to an image whose layer changed after signing.
      image.from(ref).run("/bin/busybox", "sh", "-c", "echo changed > /app/requirements.txt");
      image.commit("1");
      String moved = governance.currentDigest(source);
      assertThat(moved).isNotEqualTo(digest);
      Decision swapped = runtime.admit(policy, ref, moved, signature, sbom);
      assertThat(swapped.allowed()).isFalse();
      assertThat(swapped.reasons())
          .contains(
              "the platform signature is for "
                  + digest
                  + ", not for the image to run "
                  + moved
                  + " (the tag now points at another image)");

      // A payload edited to name the new digest no longer matches its signature.
      ImageSignature tampered =
          new ImageSignature(
              signature.payload().replace(digest, moved), signature.signature(), signature.keyId());
      Sbom movedSbom = governance.describe(source);
      assertThat(runtime.admit(policy, ref, moved, tampered, movedSbom).reasons())
          .containsExactly(
              "image is not signed by the platform key: the signature was not made by a trusted platform key");

      // The waiver expires.
      clock.now = T0.plus(Duration.ofDays(7));
      Decision expired = runtime.admit(policy, ref, digest, signature, sbom);
      assertThat(expired.allowed()).isFalse();
      assertThat(expired.reasons())
          .containsExactly(
              "DSA-9999-1 (CVE-2099-0001) in libssl3 3.0.19-1~deb12u2 is HIGH, above the policy's MEDIUM; fixed in 3.0.20-1~deb12u1",
              "waiver for CVE-2099-0001 expired on 2026-12-03T00:00:00Z");

      assertThatThrownBy(() -> runtime.sign(image.repository(), digest))
          .isInstanceOf(IllegalStateException.class);

      // Rotation: the old signature still admits the image.
      keyring.rotate();
      clock.now = T0;
      assertThat(runtime.admit(policy, ref, digest, signature, sbom).allowed()).isTrue();
      assertThat(runtime.verify(governance.sign(image.repository(), digest)).valid())
          .as("runtime-bridge sees the new key")
          .isTrue();
    }
  }
}
