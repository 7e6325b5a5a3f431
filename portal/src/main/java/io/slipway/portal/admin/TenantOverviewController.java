package io.slipway.portal.admin;

import static io.slipway.kit.tenant.QuotaResource.ACTIVATIONS;
import static io.slipway.kit.tenant.QuotaResource.APPS;
import static io.slipway.kit.tenant.QuotaResource.CONCURRENT_BUILDS;
import static io.slipway.kit.tenant.QuotaResource.CPU_MILLICORES;
import static io.slipway.kit.tenant.QuotaResource.MEMORY_MIB;
import static io.slipway.kit.tenant.QuotaResource.REPLICAS;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.TenantOverview;
import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApis;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The platform admins' overview: every tenant with usage against quota, searched, sorted and paged
 * by tenant-service. Only platform admins reach it (portal and tenant-service both check).
 */
@Controller
class TenantOverviewController {

  private static final int PAGE_SIZE = 25;

  /** The orders the overview offers, as tenant-service names them, with their labels. */
  static final Map<String, String> ORDERS = orders();

  private final TenantService tenants;
  private final ServiceApis apis;

  TenantOverviewController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
  }

  /** A tenant row of the overview. */
  record TenantRow(String name, String displayName, List<Meter> meters, boolean over) {

    static TenantRow of(TenantOverview tenant) {
      return new TenantRow(
          tenant.name(),
          tenant.displayName(),
          Meter.of(tenant.limits(), tenant.used()),
          tenant.overages() != null && !tenant.overages().isEmpty());
    }
  }

  private static Map<String, String> orders() {
    Map<String, String> orders = new LinkedHashMap<>();
    orders.put("name", "Name");
    orders.put("overages", "Over quota first");
    orders.put(CPU_MILLICORES.field(), "CPU used");
    orders.put(MEMORY_MIB.field(), "Memory used");
    orders.put(APPS.field(), "Apps");
    orders.put(REPLICAS.field(), "Replicas");
    orders.put(CONCURRENT_BUILDS.field(), "Builds running");
    orders.put(ACTIVATIONS.field(), "Activations kept");
    return Collections.unmodifiableMap(orders);
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

  @GetMapping("/admin")
  String tenants(
      @RequestParam(name = "q", defaultValue = "") String search,
      @RequestParam(defaultValue = "name,asc") String sort,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    String order = sort.matches("[A-Za-z]{1,20}(,(asc|desc))?") ? sort : "name,asc";
    if (!order.contains(",")) {
      order += order.equals("name") ? ",asc" : ",desc";
    }
    Page<TenantOverview> result =
        tenants.overview(search, order, Math.max(0, page), PAGE_SIZE, apis.bearer());
    model.addAttribute("tenants", result.items().stream().map(TenantRow::of).toList());
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
    model.addAttribute("total", result.total());
    model.addAttribute("pages", (result.total() + PAGE_SIZE - 1) / PAGE_SIZE);
    return "admin/tenants";
  }
}
