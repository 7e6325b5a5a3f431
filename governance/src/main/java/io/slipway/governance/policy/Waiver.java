package io.slipway.governance.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * Lets one known vulnerability through admission, for a reason, until a time.
 *
 * @param advisoryId the advisory's OSV id or any alias of it (e.g. the CVE)
 * @param reason why it is acceptable, shown with every decision it affects
 * @param expiresAt from this instant on the waiver no longer applies
 */
public record Waiver(String advisoryId, String reason, Instant expiresAt) {

  public Waiver {
    if (advisoryId == null || advisoryId.isBlank()) {
      throw new IllegalArgumentException("a waiver names an advisory");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a waiver for " + advisoryId + " needs a reason");
    }
    Objects.requireNonNull(expiresAt, "a waiver for " + advisoryId + " needs an expiry");
  }

  /** Whether it still applies at {@code now}. */
  public boolean isActiveAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
