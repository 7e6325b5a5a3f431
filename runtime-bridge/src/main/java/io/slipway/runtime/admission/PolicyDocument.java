package io.slipway.runtime.admission;

import io.slipway.governance.advisory.Severity;
import io.slipway.governance.policy.ImagePolicy;
import io.slipway.governance.policy.Waiver;
import io.slipway.kit.problem.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An image policy as the API reads and writes it. In a tenant's policy an omitted field tightens
 * nothing ({@code requireSigned} false, every registry, {@code CRITICAL}, no waivers); a floor must
 * name {@code requireSigned}, {@code allowedRegistries} and {@code maxSeverity}.
 */
record PolicyDocument(
    Boolean requireSigned,
    List<String> allowedRegistries,
    String maxSeverity,
    Boolean tenantWaiversAllowed,
    List<WaiverDocument> waivers) {

  /** A waiver: the advisory (or an alias such as the CVE), why, and until when. */
  record WaiverDocument(String advisoryId, String reason, Instant expiresAt) {}

  static PolicyDocument of(ImagePolicy p) {
    return new PolicyDocument(
        p.requireSigned(),
        p.allowedRegistries(),
        p.maxSeverity().name(),
        p.tenantWaiversAllowed(),
        p.waivers().stream()
            .map(w -> new WaiverDocument(w.advisoryId(), w.reason(), w.expiresAt()))
            .toList());
  }

  /**
   * The policy, validated.
   *
   * @throws Problem 400 {@code invalid-policy} naming what is wrong
   */
  ImagePolicy toPolicy(boolean floor) {
    if (floor && (requireSigned == null || allowedRegistries == null || maxSeverity == null)) {
      throw invalid("a floor names requireSigned, allowedRegistries and maxSeverity");
    }
    Severity severity;
    try {
      severity =
          maxSeverity == null
              ? Severity.CRITICAL
              : Severity.valueOf(maxSeverity.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("maxSeverity is NONE, LOW, MEDIUM, HIGH or CRITICAL, not " + maxSeverity);
    }
    try {
      List<Waiver> parsed =
          waivers == null
              ? List.of()
              : waivers.stream()
                  .map(
                      w -> {
                        if (w == null) {
                          throw new IllegalArgumentException("a waiver is an object");
                        }
                        return new Waiver(w.advisoryId(), w.reason(), w.expiresAt());
                      })
                  .toList();
      return new ImagePolicy(
          requireSigned != null && requireSigned,
          allowedRegistries == null ? List.of("*") : allowedRegistries,
          severity,
          tenantWaiversAllowed == null || tenantWaiversAllowed,
          parsed);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid(e.getMessage());
    }
  }

  private static Problem invalid(String detail) {
    return Problem.badRequest("invalid-policy", "Invalid image policy: " + detail);
  }
}
