package io.slipway.portal.supplychain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Image policies as runtime-bridge reads and writes them ({@code requireSigned}, {@code
 * allowedRegistries}, {@code maxSeverity}, {@code tenantWaiversAllowed}, {@code waivers}), turned
 * into the body of a PUT after a form changed one part of them.
 */
final class Policies {

  /** What {@code maxSeverity} may be, from the strictest. */
  static final List<String> SEVERITIES = List.of("NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL");

  private Policies() {}

  /** The policy as a request body, every field kept as the service sent it. */
  static Map<String, Object> document(JsonNode policy) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("requireSigned", policy.path("requireSigned").asBoolean(false));
    document.put(
        "allowedRegistries",
        policy.path("allowedRegistries").valueStream().map(JsonNode::asString).toList());
    document.put("maxSeverity", policy.path("maxSeverity").asString("CRITICAL"));
    document.put("tenantWaiversAllowed", policy.path("tenantWaiversAllowed").asBoolean(true));
    List<Map<String, Object>> waivers = new ArrayList<>();
    for (JsonNode waiver : policy.path("waivers")) {
      waivers.add(
          waiver(
              waiver.path("advisoryId").asString(),
              waiver.path("reason").asString(),
              waiver.path("expiresAt").asString()));
    }
    document.put("waivers", waivers);
    return document;
  }

  /** The rules of {@code policy} replaced by the form's, its waivers kept. */
  static Map<String, Object> withRules(
      JsonNode policy, boolean requireSigned, String registries, String maxSeverity) {
    Map<String, Object> document = document(policy);
    document.put("requireSigned", requireSigned);
    document.put("allowedRegistries", registries(registries));
    document.put("maxSeverity", maxSeverity);
    return document;
  }

  /** {@code policy} with one more waiver (replacing one for the same advisory). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withWaiver(
      JsonNode policy, String advisoryId, String reason, LocalDate expiresOn) {
    Map<String, Object> document = without(policy, advisoryId);
    ((List<Map<String, Object>>) document.get("waivers"))
        .add(waiver(advisoryId.strip(), reason.strip(), endOf(expiresOn).toString()));
    return document;
  }

  /** {@code policy} without the waiver of {@code advisoryId}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> without(JsonNode policy, String advisoryId) {
    Map<String, Object> document = document(policy);
    ((List<Map<String, Object>>) document.get("waivers"))
        .removeIf(w -> advisoryId.strip().equals(w.get("advisoryId")));
    return document;
  }

  /** One registry per line or comma; none at all means every registry ({@code *}). */
  static List<String> registries(String text) {
    List<String> registries =
        Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(r -> !r.isEmpty()).toList();
    return registries.isEmpty() ? List.of("*") : registries;
  }

  /** A waiver lasts to the end of the day it expires on (UTC). */
  static Instant endOf(LocalDate day) {
    return day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(1);
  }

  private static Map<String, Object> waiver(String advisoryId, String reason, String expiresAt) {
    Map<String, Object> waiver = new LinkedHashMap<>();
    waiver.put("advisoryId", advisoryId);
    waiver.put("reason", reason);
    waiver.put("expiresAt", expiresAt);
    return waiver;
  }
}
