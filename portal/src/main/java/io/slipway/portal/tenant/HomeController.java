package io.slipway.portal.tenant;

import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/** The dashboard: a welcome when signed out; the user's tenants with usage when signed in. */
@Controller
class HomeController {

  private final ServiceApi api;

  HomeController(ServiceApis apis) {
    this.api = apis.tenant();
  }

  /** A tenant on the dashboard, with its CPU and memory meters. */
  record TenantCard(String name, String displayName, String role, List<Meter> meters) {}

  @GetMapping("/")
  String home(Authentication authentication, Model model) {
    if (authentication == null || !(authentication.getPrincipal() instanceof OidcUser user)) {
      return "welcome";
    }
    model.addAttribute("user", user.getPreferredUsername());
    try {
      List<TenantCard> cards =
          ServiceApi.items(api.get("/api/v1/tenants?size=200")).stream().map(this::card).toList();
      model.addAttribute("tenants", cards);
    } catch (ServiceProblem problem) {
      model.addAttribute("tenants", List.of());
      model.addAttribute("error", problem.getMessage());
    }
    return "home";
  }

  @PostMapping("/tenants")
  String createTenant(
      @RequestParam String name,
      @RequestParam(required = false) String displayName,
      RedirectAttributes redirect) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", name);
    if (displayName != null && !displayName.isBlank()) {
      body.put("displayName", displayName);
    }
    try {
      api.post(body, "/api/v1/tenants");
      redirect.addFlashAttribute("notice", "Tenant " + name + " created.");
      return "redirect:/t/" + name;
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      redirect.addFlashAttribute("name", name);
      return "redirect:/";
    }
  }

  private TenantCard card(JsonNode tenant) {
    String name = tenant.path("name").asString();
    List<Meter> meters = Meter.of(api.get("/api/v1/tenants/{t}/quota", name));
    return new TenantCard(
        name,
        tenant.path("displayName").asString(),
        tenant.path("role").asString(),
        meters.subList(0, 3));
  }
}
