package io.slipway.portal.admin;

import static io.slipway.kit.tenant.QuotaResource.APPS;
import static io.slipway.kit.tenant.QuotaResource.BUILD_MINUTES;
import static io.slipway.kit.tenant.QuotaResource.CONCURRENT_BUILDS;
import static io.slipway.kit.tenant.QuotaResource.CPU_MILLICORES;
import static io.slipway.kit.tenant.QuotaResource.MEMORY_MIB;
import static io.slipway.kit.tenant.QuotaResource.REPLICAS;
import static io.slipway.kit.tenant.QuotaResource.STORAGE_MIB;

import io.slipway.kit.tenant.QuotaResource;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.StoragePart;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * Platform administration: every tenant with usage against quota, quota editing per tenant and
 * project, and the audit log. Only platform admins reach it (portal and tenant-service both check).
 */
@Controller
@RequestMapping("/admin")
class AdminController {

  /** The quota fields, in the order the forms show them. */
  static final List<String> FIELDS =
      Arrays.stream(QuotaResource.values()).map(QuotaResource::field).toList();

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
              STORAGE_MIB, "Storage (MiB)"));

  private static final int PAGE_SIZE = 25;
  private static final String TENANT = "/t/{tenant:[a-z0-9-]{1,20}}";

  private final ServiceApi api;

  AdminController(ServiceApis apis) {
    this.api = apis.tenant();
  }

  /** A tenant row of the overview. */
  record TenantRow(String name, String displayName, List<Meter> meters, boolean over) {}

  /** The orders the overview offers, as tenant-service names them, with their labels. */
  static final Map<String, String> ORDERS = orders();

  private static Map<String, String> orders() {
    Map<String, String> orders = new java.util.LinkedHashMap<>();
    orders.put("name", "Name");
    orders.put("overages", "Over quota first");
    orders.put(CPU_MILLICORES.field(), "CPU used");
    orders.put(MEMORY_MIB.field(), "Memory used");
    orders.put(APPS.field(), "Apps");
    orders.put(REPLICAS.field(), "Replicas");
    orders.put(CONCURRENT_BUILDS.field(), "Builds running");
    return java.util.Collections.unmodifiableMap(orders);
  }

  private static Map<String, String> byField(Map<QuotaResource, String> labels) {
    Map<String, String> byField = new HashMap<>();
    labels.forEach((resource, label) -> byField.put(resource.field(), label));
    return Map.copyOf(byField);
  }

  /**
   * A sortable column header: {@code ariaSort} is {@code ascending}, {@code descending} or null,
   * {@code next} the order a click asks for (usage starts with the largest).
   */
  record Column(String label, String ariaSort, String next) {
    static Column of(String key, String label, String current) {
      String[] parts = current.split(",");
      boolean active = parts[0].equals(key);
      boolean descending = parts.length > 1 && parts[1].equals("desc");
      String ariaSort = !active ? null : descending ? "descending" : "ascending";
      boolean firstDescending = !key.equals("name");
      String next =
          active
              ? key + (descending ? ",asc" : ",desc")
              : key + (firstDescending ? ",desc" : ",asc");
      return new Column(label, ariaSort, next);
    }
  }

  @GetMapping
  String tenants(
      @RequestParam(name = "q", defaultValue = "") String search,
      @RequestParam(defaultValue = "name,asc") String sort,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    String order = sort.matches("[A-Za-z]{1,20}(,(asc|desc))?") ? sort : "name,asc";
    if (!order.contains(",")) {
      order += order.equals("name") ? ",asc" : ",desc";
    }
    JsonNode result =
        api.get(
            "/api/v1/admin/tenants?q={q}&sort={o}&page={p}&size={s}",
            search,
            order,
            Math.max(0, page),
            PAGE_SIZE);
    model.addAttribute(
        "tenants",
        ServiceApi.items(result).stream()
            .map(
                t ->
                    new TenantRow(
                        t.path("name").asString(),
                        t.path("displayName").asString(),
                        Meter.of(t),
                        !t.path("overages").isEmpty()))
            .toList());
    model.addAttribute("q", search);
    model.addAttribute("sort", order);
    model.addAttribute("orders", ORDERS);
    model.addAttribute(
        "columns",
        List.of(
            Column.of("name", "Tenant", order),
            Column.of("cpuMillicores", "CPU", order),
            Column.of("memoryMib", "Memory", order),
            Column.of("apps", "Apps", order),
            Column.of("replicas", "Replicas", order),
            Column.of("concurrentBuilds", "Builds", order)));
    model.addAttribute("page", page);
    model.addAttribute("total", result.path("total").asLong());
    model.addAttribute("pages", (result.path("total").asLong() + PAGE_SIZE - 1) / PAGE_SIZE);
    return "admin/tenants";
  }

  @GetMapping(TENANT)
  String tenant(@PathVariable String tenant, Model model) {
    model.addAttribute("tenant", api.get("/api/v1/tenants/{t}", tenant));
    model.addAttribute("quota", api.get("/api/v1/tenants/{t}/quota", tenant));
    JsonNode usage = api.get("/api/v1/tenants/{t}/usage?size=200", tenant);
    model.addAttribute("projects", ServiceApi.items(usage.path("projects")));
    model.addAttribute("storage", StoragePart.of(usage));
    Map<String, JsonNode> own = new HashMap<>();
    for (JsonNode project : ServiceApi.items(usage.path("projects"))) {
      String name = project.path("project").asString();
      own.put(name, api.get("/api/v1/tenants/{t}/projects/{p}/quota", tenant, name).path("limits"));
    }
    model.addAttribute("own", own);
    model.addAttribute("fields", FIELDS);
    model.addAttribute("labels", LABELS);
    return "admin/tenant";
  }

  @PostMapping(TENANT + "/quota")
  String tenantQuota(
      @PathVariable String tenant,
      @RequestParam Map<String, String> form,
      RedirectAttributes redirect) {
    return save(
        tenant,
        redirect,
        () -> api.put(limits(form, false), "/api/v1/tenants/{t}/quota", tenant),
        "Quota of " + tenant + " saved.");
  }

  @PostMapping(TENANT + "/p/{project:[a-z0-9-]{1,20}}/quota")
  String projectQuota(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam Map<String, String> form,
      RedirectAttributes redirect) {
    return save(
        tenant,
        redirect,
        () ->
            api.put(limits(form, true), "/api/v1/tenants/{t}/projects/{p}/quota", tenant, project),
        "Quota of " + tenant + "/" + project + " saved.");
  }

  @GetMapping("/audit")
  String audit(
      @RequestParam(defaultValue = "") String tenant,
      @RequestParam(defaultValue = "") String actor,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    StringBuilder template = new StringBuilder("/api/v1/admin/audit?page={p}&size=50");
    List<Object> variables = new java.util.ArrayList<>(List.of(Math.max(0, page)));
    if (!tenant.isBlank()) {
      template.append("&tenant={t}");
      variables.add(tenant);
    }
    if (!actor.isBlank()) {
      template.append("&actor={a}");
      variables.add(actor);
    }
    JsonNode result = api.get(template.toString(), variables.toArray());
    model.addAttribute("events", ServiceApi.items(result));
    model.addAttribute("tenant", tenant);
    model.addAttribute("actor", actor);
    model.addAttribute("page", page);
    model.addAttribute("pages", (result.path("total").asLong() + 49) / 50);
    return "admin/audit";
  }

  /**
   * The form's limits as the API takes them: numbers as numbers; a blank field is absent for a
   * tenant (the API then names it as required) and null for a project (defer to the tenant).
   */
  static Map<String, Object> limits(Map<String, String> form, boolean project) {
    Map<String, Object> limits = new HashMap<>();
    for (String field : FIELDS) {
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

  private static String save(
      String tenant, RedirectAttributes redirect, Runnable call, String notice) {
    return Flash.after(call, notice, redirect, "/admin/t/" + tenant);
  }
}
