package io.slipway.portal.tenant;

import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.TenantApi;
import jakarta.validation.constraints.NotBlank;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/** The start page: a welcome when signed out, the user's tenants when signed in. */
@Controller
class HomeController {

  private final TenantApi tenants;

  HomeController(TenantApi tenants) {
    this.tenants = tenants;
  }

  @GetMapping("/")
  String home(Authentication authentication, Model model) {
    if (authentication == null || !(authentication.getPrincipal() instanceof OidcUser user)) {
      return "welcome";
    }
    model.addAttribute("user", user.getPreferredUsername());
    try {
      List<JsonNode> mine = TenantApi.items(tenants.get("/api/v1/tenants?size=200"));
      model.addAttribute("tenants", mine);
    } catch (ServiceProblem problem) {
      model.addAttribute("tenants", List.of());
      model.addAttribute("error", problem.getMessage());
    }
    return "home";
  }

  @PostMapping("/tenants")
  String createTenant(@ModelAttribute NewTenant form, RedirectAttributes redirect) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", form.name());
    if (form.displayName() != null && !form.displayName().isBlank()) {
      body.put("displayName", form.displayName());
    }
    try {
      tenants.post("/api/v1/tenants", body);
      redirect.addFlashAttribute("notice", "Tenant " + form.name() + " created.");
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      redirect.addFlashAttribute("form", form);
    }
    return "redirect:/";
  }

  /** The create-tenant form. */
  record NewTenant(@NotBlank String name, String displayName) {}
}
