package io.slipway.portal.supplychain;

import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.kit.client.RuntimePolicies.Waiver;
import java.util.List;

/**
 * An image policy as a page shows it.
 *
 * @param requireSigned only images the platform signed
 * @param registries the registries images may come from ({@code *}: any)
 * @param maxSeverity the worst vulnerability allowed without a waiver
 * @param tenantWaiversAllowed (a floor's) whether tenants may waive advisories
 * @param waivers the waivers
 */
public record Rules(
    boolean requireSigned,
    List<String> registries,
    String maxSeverity,
    boolean tenantWaiversAllowed,
    List<Waiver> waivers) {

  /** The rules of {@code policy}; none at all (null) reads as a policy that tightens nothing. */
  static Rules of(PolicyDocument policy) {
    if (policy == null) {
      return new Rules(false, List.of(), "", true, List.of());
    }
    return new Rules(
        policy.requireSigned() != null && policy.requireSigned(),
        policy.allowedRegistries() == null ? List.of() : policy.allowedRegistries(),
        policy.maxSeverity() == null ? "" : policy.maxSeverity(),
        policy.tenantWaiversAllowed() == null || policy.tenantWaiversAllowed(),
        policy.waivers() == null ? List.of() : policy.waivers());
  }

  /** The registries for a form's text area: one per line, nothing when any is allowed. */
  public String registriesText() {
    return String.join("\n", registries.stream().filter(r -> !r.equals("*")).toList());
  }

  /** The registries for reading: {@code any} for {@code *}. */
  public String registriesShown() {
    return registries.isEmpty() || registries.equals(List.of("*"))
        ? "any"
        : String.join(", ", registries);
  }
}
