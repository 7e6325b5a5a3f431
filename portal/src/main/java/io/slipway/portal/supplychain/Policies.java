package io.slipway.portal.supplychain;

import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.kit.client.RuntimePolicies.Waiver;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Image policies as runtime-bridge reads and writes them, turned into the body of a PUT after a
 * form changed one part of them.
 */
final class Policies {

  /** What {@code maxSeverity} may be, from the strictest. */
  static final List<String> SEVERITIES = List.of("NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL");

  private Policies() {}

  /**
   * The policy as a request body: every field kept as the service sent it, an omitted one given the
   * value that tightens nothing.
   */
  static PolicyDocument document(PolicyDocument policy) {
    return new PolicyDocument(
        policy.requireSigned() != null && policy.requireSigned(),
        policy.allowedRegistries() == null ? List.of() : policy.allowedRegistries(),
        policy.maxSeverity() == null ? "CRITICAL" : policy.maxSeverity(),
        policy.tenantWaiversAllowed() == null || policy.tenantWaiversAllowed(),
        policy.waivers() == null ? List.of() : policy.waivers());
  }

  /** The rules of {@code policy} replaced by the form's, its waivers kept. */
  static PolicyDocument withRules(
      PolicyDocument policy, boolean requireSigned, String registries, String maxSeverity) {
    PolicyDocument document = document(policy);
    return new PolicyDocument(
        requireSigned,
        registries(registries),
        maxSeverity,
        document.tenantWaiversAllowed(),
        document.waivers());
  }

  /** {@code policy} with {@code tenantWaiversAllowed} set (a floor's). */
  static PolicyDocument withTenantWaivers(PolicyDocument policy, boolean allowed) {
    return new PolicyDocument(
        policy.requireSigned(),
        policy.allowedRegistries(),
        policy.maxSeverity(),
        allowed,
        policy.waivers());
  }

  /** {@code policy} with one more waiver (replacing one for the same advisory). */
  static PolicyDocument withWaiver(
      PolicyDocument policy, String advisoryId, String reason, LocalDate expiresOn) {
    PolicyDocument document = without(policy, advisoryId);
    List<Waiver> waivers = new ArrayList<>(document.waivers());
    waivers.add(new Waiver(advisoryId.strip(), reason.strip(), endOf(expiresOn)));
    return withWaivers(document, waivers);
  }

  /** {@code policy} without the waiver of {@code advisoryId}. */
  static PolicyDocument without(PolicyDocument policy, String advisoryId) {
    PolicyDocument document = document(policy);
    List<Waiver> waivers = new ArrayList<>(document.waivers());
    waivers.removeIf(w -> advisoryId.strip().equals(w.advisoryId()));
    return withWaivers(document, waivers);
  }

  private static PolicyDocument withWaivers(PolicyDocument document, List<Waiver> waivers) {
    return new PolicyDocument(
        document.requireSigned(),
        document.allowedRegistries(),
        document.maxSeverity(),
        document.tenantWaiversAllowed(),
        List.copyOf(waivers));
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
}
