package io.slipway.governance.policy;

import io.slipway.governance.advisory.Finding;
import io.slipway.governance.advisory.Severity;
import io.slipway.governance.signing.SignatureCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an image may run under a policy. Pure: the same policy, facts and time give the
 * same decision. Every rule is checked and every failure reported, so one refusal lists all that
 * needs fixing.
 */
public final class Admission {

  private Admission() {}

  /** Evaluates {@code policy} for {@code facts} at {@code now}. */
  public static Decision evaluate(ImagePolicy policy, AdmissionFacts facts, Instant now) {
    List<String> reasons = new ArrayList<>();
    List<String> waived = new ArrayList<>();
    ImageReference ref;
    try {
      ref = ImageReference.parse(facts.reference());
    } catch (IllegalArgumentException e) {
      return new Decision(false, List.of(e.getMessage()), List.of());
    }
    String pinned = facts.pinnedDigest();
    if (pinned == null || !pinned.startsWith("sha256:")) {
      return new Decision(
          false, List.of("the image to run is not pinned by a sha256 digest"), List.of());
    }
    if (ref.digest() != null && !ref.digest().equals(pinned)) {
      reasons.add("the reference pins " + ref.digest() + " but the image to run is " + pinned);
    }
    checkRegistry(policy, ref, reasons);
    if (policy.requireSigned()) {
      checkSignature(facts.signature(), ref, pinned, reasons);
    }
    if (policy.maxSeverity() != Severity.CRITICAL) {
      checkFindings(policy, facts, now, reasons, waived);
    }
    return new Decision(reasons.isEmpty(), reasons, waived);
  }

  private static void checkRegistry(ImagePolicy policy, ImageReference ref, List<String> reasons) {
    if (policy.allowsRepository(ref.repository())) {
      return;
    }
    String allowed =
        policy.allowedRegistries().isEmpty()
            ? "none"
            : String.join(", ", policy.allowedRegistries());
    boolean hostKnown =
        policy.allowedRegistries().stream()
            .anyMatch(
                p -> ImagePolicy.covers(p, ref.registry()) || p.startsWith(ref.registry() + "/"));
    reasons.add(
        hostKnown
            ? "repository " + ref.repository() + " is not allowed (allowed: " + allowed + ")"
            : "registry " + ref.registry() + " is not allowed (allowed: " + allowed + ")");
  }

  private static void checkSignature(
      SignatureCheck check, ImageReference ref, String pinned, List<String> reasons) {
    if (check == null) {
      reasons.add("image is not signed by the platform key");
    } else if (!check.valid()) {
      reasons.add("image is not signed by the platform key: " + check.problem());
    } else if (!pinned.equals(check.signedDigest())) {
      reasons.add(
          "the platform signature is for "
              + check.signedDigest()
              + ", not for the image to run "
              + pinned
              + " (the tag now points at another image)");
    } else if (!sameRepository(check.signedReference(), ref)) {
      reasons.add(
          "the platform signature is for "
              + check.signedReference()
              + ", not for "
              + ref.repository());
    }
  }

  private static boolean sameRepository(String signedReference, ImageReference ref) {
    try {
      return ImageReference.parse(signedReference).repository().equals(ref.repository());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void checkFindings(
      ImagePolicy policy,
      AdmissionFacts facts,
      Instant now,
      List<String> reasons,
      List<String> waived) {
    if (facts.scannedDigest() == null) {
      reasons.add(
          "the image " + facts.pinnedDigest() + " has not been scanned for vulnerabilities");
      return;
    }
    if (!facts.scannedDigest().equals(facts.pinnedDigest())) {
      reasons.add(
          "the vulnerability scan is for "
              + facts.scannedDigest()
              + ", not for the image to run "
              + facts.pinnedDigest());
      return;
    }
    for (Finding finding : facts.findings()) {
      if (!finding.severity().isAbove(policy.maxSeverity())) {
        continue;
      }
      Optional<Waiver> active =
          policy.waivers().stream()
              .filter(w -> finding.isKnownAs(w.advisoryId()) && w.isActiveAt(now))
              .findFirst();
      if (active.isPresent()) {
        waived.add(
            describe(finding, policy)
                + " — waived until "
                + active.get().expiresAt()
                + ": "
                + active.get().reason());
        continue;
      }
      reasons.add(describe(finding, policy));
      policy.waivers().stream()
          .filter(w -> finding.isKnownAs(w.advisoryId()))
          .forEach(
              w -> reasons.add("waiver for " + w.advisoryId() + " expired on " + w.expiresAt()));
    }
  }

  /** "CVE-2024-1234 in openssl 3.0.11 is HIGH, above the policy's MEDIUM; fixed in 3.0.13". */
  static String describe(Finding f, ImagePolicy policy) {
    String rating =
        f.severity() == Severity.UNKNOWN
            ? "has no severity rating (counted as CRITICAL)"
            : "is " + f.severity();
    String cve =
        f.advisoryId().startsWith("CVE-")
            ? ""
            : f.aliases().stream()
                .filter(a -> a.startsWith("CVE-"))
                .findFirst()
                .map(a -> " (" + a + ")")
                .orElse("");
    return f.advisoryId()
        + cve
        + " in "
        + f.component().name()
        + " "
        + f.component().version()
        + " "
        + rating
        + ", above the policy's "
        + policy.maxSeverity()
        + (f.fixedVersion() == null
            ? "; no fixed version is known"
            : "; fixed in " + f.fixedVersion());
  }
}
