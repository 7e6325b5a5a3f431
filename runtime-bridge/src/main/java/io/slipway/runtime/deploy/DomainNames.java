package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a custom domain at the edge: a fully qualified host name (RFC 1123 labels, at least two,
 * at most 253 characters, a top-level label that is not all digits), lower-cased. Whether the
 * platform owns the name is {@link io.slipway.runtime.domain.PlatformDomains}' to say.
 */
final class DomainNames {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private DomainNames() {}

  /** The domain lower-cased, or a 400 {@code invalid-domain} saying what is wrong. */
  static String normalize(String raw) {
    String domain = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (domain.isEmpty() || domain.length() > 253) {
      throw invalid(raw, "it must be a host name of 1 to 253 characters");
    }
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2) {
      throw invalid(raw, "it must have at least two labels, e.g. shop.example.com");
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw invalid(
            raw, "'" + label + "' is not a label of letters, digits and inner hyphens (1 to 63)");
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw invalid(raw, "an IP address or numeric top-level label is not a domain");
    }
    return domain;
  }

  private static Problem invalid(String raw, String why) {
    return Problem.badRequest("invalid-domain", "'" + raw + "' is not a usable domain: " + why);
  }
}
