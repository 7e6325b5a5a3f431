package io.slipway.runtime.domain;

import io.slipway.kit.problem.Problem;
import java.util.List;
import java.util.Locale;

/**
 * The platform's own names: its base domain (app hosts live under {@code apps.<domain>}), and the
 * portal's, identity provider's and API's hosts. None of them, nor any name under them, can be
 * claimed as a custom domain: an app there could read or set the platform's cookies, or pass for
 * the platform.
 */
public final class PlatformDomains {

  private final List<String> names;

  public PlatformDomains(List<String> names) {
    this.names =
        names.stream()
            .map(n -> n.strip().toLowerCase(Locale.ROOT))
            .map(n -> n.endsWith(".") ? n.substring(0, n.length() - 1) : n)
            .filter(n -> !n.isEmpty())
            .distinct()
            .toList();
  }

  /** Whether {@code domain} (normalized) is one of the platform's names or under one. */
  public boolean owns(String domain) {
    return names.stream().anyMatch(n -> domain.equals(n) || domain.endsWith("." + n));
  }

  /** A 422 {@code platform-domain} when the platform owns {@code domain}. */
  public void requireClaimable(String domain) {
    if (owns(domain)) {
      throw Problem.invalid(
          "platform-domain",
          "'"
              + domain
              + "' is one of the platform's own domains (or under one) and cannot be used as a"
              + " custom domain; use a domain you own");
    }
  }
}
