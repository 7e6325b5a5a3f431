package io.slipway.governance.policy;

import java.util.List;

/**
 * The answer of admission.
 *
 * @param allowed whether the image may run
 * @param reasons why not, one sentence each, for the portal and API (empty when allowed)
 * @param waived the vulnerabilities let through by a waiver, with its reason and expiry (shown even
 *     when allowed, so nobody forgets them)
 */
public record Decision(boolean allowed, List<String> reasons, List<String> waived) {

  public Decision {
    reasons = List.copyOf(reasons);
    waived = List.copyOf(waived);
  }
}
