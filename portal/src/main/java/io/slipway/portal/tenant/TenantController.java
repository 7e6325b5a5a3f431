package io.slipway.portal.tenant;

import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.StoragePart;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/** A tenant: usage against quota (now and over time) and its projects. */
@Controller
class TenantController {

  static final String TENANT = "/t/{tenant:[a-z0-9-]{1,20}}";

  private final ServiceApi api;

  TenantController(ServiceApis apis) {
    this.api = apis.tenant();
  }

  /** A project row: name and its CPU, memory and apps meters. */
  record ProjectRow(String name, List<Meter> meters) {}

  @GetMapping(TENANT)
  String tenant(
      @PathVariable String tenant, @RequestParam(defaultValue = "0") int page, Model model) {
    JsonNode info = api.get("/api/v1/tenants/{t}", tenant);
    JsonNode usage = api.get("/api/v1/tenants/{t}/usage?size=50&page={p}", tenant, page);
    model.addAttribute("tenant", info);
    model.addAttribute("meters", Meter.of(usage));
    model.addAttribute("storage", StoragePart.of(usage));
    JsonNode projects = usage.path("projects");
    model.addAttribute(
        "projects",
        ServiceApi.items(projects).stream()
            .map(p -> new ProjectRow(p.path("project").asString(), Meter.of(p).subList(0, 3)))
            .toList());
    model.addAttribute("page", page);
    model.addAttribute("pages", (projects.path("total").asLong() + 49) / 50);
    try {
      model.addAttribute(
          "history", api.get("/api/v1/tenants/{t}/usage/history?days=30", tenant).path("days"));
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
      api.post(
          displayName == null || displayName.isBlank()
              ? Map.of("name", name)
              : Map.of("name", name, "displayName", displayName),
          "/api/v1/tenants/{t}/projects",
          tenant);
      redirect.addFlashAttribute("notice", "Project " + name + " created.");
      return "redirect:/t/" + tenant + "/p/" + name;
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      return "redirect:/t/" + tenant;
    }
  }
}
