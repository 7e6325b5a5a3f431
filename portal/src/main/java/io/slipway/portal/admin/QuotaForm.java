package io.slipway.portal.admin;

import static io.slipway.kit.tenant.QuotaResource.ACTIVATIONS;
import static io.slipway.kit.tenant.QuotaResource.APPS;
import static io.slipway.kit.tenant.QuotaResource.BUILD_MINUTES;
import static io.slipway.kit.tenant.QuotaResource.CONCURRENT_BUILDS;
import static io.slipway.kit.tenant.QuotaResource.CPU_MILLICORES;
import static io.slipway.kit.tenant.QuotaResource.MEMORY_MIB;
import static io.slipway.kit.tenant.QuotaResource.REPLICAS;
import static io.slipway.kit.tenant.QuotaResource.STORAGE_MIB;

import io.slipway.kit.tenant.QuotaResource;
import io.slipway.portal.web.ServiceProblem;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The quota forms of the admin pages: their fields, labels, and the limits a form asks for. */
final class QuotaForm {

  /** The quota fields, in the order the forms show them. */
  static final List<String> FIELDS =
      Arrays.stream(QuotaResource.values()).map(QuotaResource::field).toList();

  /**
   * A project's quota fields: all but {@code activations}, which tenant-service limits per tenant
   * only (a project's quota may not set it).
   */
  static final List<String> PROJECT_FIELDS =
      FIELDS.stream().filter(f -> !f.equals(ACTIVATIONS.field())).toList();

  /** How the forms label each quota field. */
  static final Map<String, String> LABELS =
      byField(
          Map.of(
              CPU_MILLICORES, "CPU (millicores)",
              MEMORY_MIB, "Memory (MiB)",
              APPS, "Apps",
              REPLICAS, "Replicas",
              CONCURRENT_BUILDS, "Concurrent builds",
              BUILD_MINUTES, "Build minutes a month",
              STORAGE_MIB, "Storage (MiB)",
              ACTIVATIONS, "Activations kept"));

  private QuotaForm() {}

  private static Map<String, String> byField(Map<QuotaResource, String> labels) {
    Map<String, String> byField = new HashMap<>();
    labels.forEach((resource, label) -> byField.put(resource.field(), label));
    return Map.copyOf(byField);
  }

  /**
   * The form's limits as the API takes them: numbers as numbers; a blank field is absent for a
   * tenant (the API then names it as required) and null for a project (defer to the tenant).
   */
  static Map<String, Long> limits(Map<String, String> form, boolean project) {
    Map<String, Long> limits = new HashMap<>();
    for (String field : project ? PROJECT_FIELDS : FIELDS) {
      String value = form.getOrDefault(field, "").strip();
      if (value.isEmpty()) {
        if (project) {
          limits.put(field, null);
        }
      } else {
        if (!value.matches("\\d{1,12}")) {
          throw new ServiceProblem(400, field + " must be a whole number, 0 or more");
        }
        limits.put(field, Long.parseLong(value));
      }
    }
    return limits;
  }
}
