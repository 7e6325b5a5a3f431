package io.slipway.governance.policy;

import io.slipway.governance.advisory.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an image must satisfy to run.
 *
 * <p>An admin sets a floor for every tenant; a tenant may only tighten it ({@link #tighten}).
 *
 * @param requireSigned only images signed by a trusted platform key, for the exact digest to run
 * @param allowedRegistries repository prefixes images may come from, matched at {@code /}
 *     boundaries ({@code localhost/slipway} allows {@code localhost/slipway/acme/web}, not {@code
 *     localhost/slipwayx/...}); {@code *} allows any; an empty list allows none
 * @param maxSeverity the worst vulnerability severity allowed without a waiver ({@link
 *     Severity#CRITICAL} allows everything, an unrated advisory counts as critical)
 * @param tenantWaiversAllowed in a floor: whether waivers of the tenant's policy count
 * @param waivers known vulnerabilities let through, each with a reason and an expiry
 */
public record ImagePolicy(
    boolean requireSigned,
    List<String> allowedRegistries,
    Severity maxSeverity,
    boolean tenantWaiversAllowed,
    List<Waiver> waivers) {

  /** Any image, signed or not, from anywhere, with any vulnerability. */
  public static final ImagePolicy PERMISSIVE =
      new ImagePolicy(false, List.of("*"), Severity.CRITICAL, true, List.of());

  public ImagePolicy {
    allowedRegistries = List.copyOf(allowedRegistries);
    for (String pattern : allowedRegistries) {
      if (pattern.isBlank()
          || pattern.contains("://")
          || pattern.contains("@")
          || pattern.contains(" ")) {
        throw new IllegalArgumentException(
            "an allowed registry is a repository prefix such as localhost/slipway or ghcr.io/acme, or *: '"
                + pattern
                + "'");
      }
    }
    waivers = List.copyOf(waivers);
    Objects.requireNonNull(maxSeverity, "maxSeverity");
    if (maxSeverity == Severity.UNKNOWN) {
      throw new IllegalArgumentException("maxSeverity must be NONE, LOW, MEDIUM, HIGH or CRITICAL");
    }
  }

  /**
   * The stricter of an admin's floor and a tenant's policy: signing required if either requires it,
   * only registries both allow, the lower severity limit. The floor's waivers always apply; the
   * tenant's only if the floor allows tenant waivers (a tenant waiver can then let through what the
   * floor alone would refuse — that is what the admin allowed). The result's {@code
   * tenantWaiversAllowed} is the floor's and the tenant's both.
   */
  public static ImagePolicy tighten(ImagePolicy floor, ImagePolicy tenant) {
    List<Waiver> waivers = new ArrayList<>(floor.waivers());
    if (floor.tenantWaiversAllowed()) {
      waivers.addAll(tenant.waivers());
    }
    return new ImagePolicy(
        floor.requireSigned() || tenant.requireSigned(),
        intersect(floor.allowedRegistries(), tenant.allowedRegistries()),
        floor.maxSeverity().rank() <= tenant.maxSeverity().rank()
            ? floor.maxSeverity()
            : tenant.maxSeverity(),
        floor.tenantWaiversAllowed() && tenant.tenantWaiversAllowed(),
        waivers);
  }

  /** Whether an image from {@code repository} ({@code registry/path}) is allowed. */
  public boolean allowsRepository(String repository) {
    return allowedRegistries.stream().anyMatch(p -> covers(p, repository));
  }

  /** Every prefix both lists allow: where one covers the other, the narrower. */
  private static List<String> intersect(List<String> a, List<String> b) {
    Set<String> result = new LinkedHashSet<>();
    for (String x : a) {
      for (String y : b) {
        if (covers(x, y)) {
          result.add(y);
        } else if (covers(y, x)) {
          result.add(x);
        }
      }
    }
    return List.copyOf(result);
  }

  static boolean covers(String pattern, String repository) {
    String p = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
    return p.equals("*") || repository.equals(p) || repository.startsWith(p + "/");
  }
}
