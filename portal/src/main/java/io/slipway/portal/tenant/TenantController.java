package io.slipway.portal.tenant;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.NewProject;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.ProjectUsage;
import io.slipway.kit.client.TenantViews.TenantUsage;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.StoragePart;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/** A tenant: usage against quota (now and over time) and its projects. */
@Controller
class TenantController {

  static final String TENANT = "/t/{tenant:[a-z0-9-]{1,20}}";

  private final TenantService tenants;
  private final ServiceApis apis;
  private final JsonMapper json;

  TenantController(ServiceApis apis, JsonMapper json) {
    this.tenants = apis.tenantService();
    this.apis = apis;
    this.json = json;
  }

  /** A project row: name and its CPU, memory and apps meters. */
  record ProjectRow(String name, List<Meter> meters) {}

  @GetMapping(TENANT)
  String tenant(
      @PathVariable String tenant, @RequestParam(defaultValue = "0") int page, Model model) {
    String bearer = apis.bearer();
    TenantView info = tenants.tenantView(tenant, bearer);
    TenantUsage usage = tenants.usage(tenant, 50, page, bearer);
    model.addAttribute("tenant", info);
    model.addAttribute("meters", Meter.of(usage.limits(), usage.used()));
    model.addAttribute("storage", StoragePart.of(usage));
    Page<ProjectUsage> projects = usage.projects();
    model.addAttribute(
        "projects",
        projects.items().stream()
            .map(p -> new ProjectRow(p.project(), Meter.of(p.limits(), p.used()).subList(0, 3)))
            .toList());
    model.addAttribute("page", page);
    model.addAttribute("pages", (projects.total() + 49) / 50);
    try {
      // the chart's script reads the days as JSON
      model.addAttribute(
          "history", json.writeValueAsString(tenants.usageHistory(tenant, 30, bearer).days()));
    } catch (ServiceProblem problem) {
      model.addAttribute("history", null);
    }
    return "tenant";
  }

  @PostMapping(TENANT + "/projects")
  String createProject(
      @PathVariable String tenant,
      @RequestParam String name,
      @RequestParam(required = false) String displayName,
      RedirectAttributes redirect) {
    try {
      tenants.createProject(
          tenant,
          new NewProject(name, displayName == null || displayName.isBlank() ? null : displayName),
          apis.bearer());
      redirect.addFlashAttribute("notice", "Project " + name + " created.");
      return "redirect:/t/" + tenant + "/p/" + name;
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      return "redirect:/t/" + tenant;
    }
  }
}
