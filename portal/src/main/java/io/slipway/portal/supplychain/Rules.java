package io.slipway.portal.supplychain;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An image policy as a page shows it.
 *
 * @param requireSigned only images the platform signed
 * @param registries the registries images may come from ({@code *}: any)
 * @param maxSeverity the worst vulnerability allowed without a waiver
 * @param tenantWaiversAllowed (a floor's) whether tenants may waive advisories
 * @param waivers the waivers ({@code advisoryId}, {@code reason}, {@code expiresAt})
 */
public record Rules(
    boolean requireSigned,
    List<String> registries,
    String maxSeverity,
    boolean tenantWaiversAllowed,
    List<JsonNode> waivers) {

  static Rules of(JsonNode policy) {
    return new Rules(
        policy.path("requireSigned").asBoolean(false),
        policy.path("allowedRegistries").valueStream().map(JsonNode::asString).toList(),
        policy.path("maxSeverity").asString(""),
        policy.path("tenantWaiversAllowed").asBoolean(true),
        policy.path("waivers").valueStream().toList());
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
