package io.slipway.portal.app;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A custom domain of the app as the page shows it: verified (it leads to the app), or pending with
 * the two ways to prove it is the user's and why the last check failed.
 */
record DomainEntry(
    String domain, boolean verified, String httpUrl, String txtName, String token, String failure) {

  /** The entries of runtime-bridge's {@code {"domains": [...]}}. */
  static List<DomainEntry> all(JsonNode domains) {
    return domains.path("domains").valueStream().map(DomainEntry::of).toList();
  }

  static DomainEntry of(JsonNode d) {
    String failure = d.path("failure").asString("");
    return new DomainEntry(
        d.path("domain").asString(),
        "verified".equals(d.path("state").asString()),
        d.path("httpUrl").asString(),
        d.path("txtName").asString(),
        d.path("token").asString(),
        failure.isBlank() ? null : failure);
  }
}
