package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge.DomainView;
import io.slipway.kit.client.RuntimeBridge.DomainsView;
import java.util.List;

/**
 * A custom domain of the app as the page shows it: verified (it leads to the app), or pending with
 * the two ways to prove it is the user's and why the last check failed.
 */
record DomainEntry(
    String domain, boolean verified, String httpUrl, String txtName, String token, String failure) {

  /** The entries of runtime-bridge's {@code {"domains": [...]}}. */
  static List<DomainEntry> all(DomainsView domains) {
    return domains.domains() == null
        ? List.of()
        : domains.domains().stream().map(DomainEntry::of).toList();
  }

  static DomainEntry of(DomainView d) {
    String failure = d.failure();
    return new DomainEntry(
        d.domain(),
        "verified".equals(d.state()),
        d.httpUrl(),
        d.txtName(),
        d.token(),
        failure == null || failure.isBlank() ? null : failure);
  }
}
