package io.slipway.portal.tenant;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.NewTenant;
import io.slipway.kit.client.TenantViews.QuotaView;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The dashboard: a welcome when signed out; the user's tenants with usage when signed in. */
@Controller
class HomeController {

  private final TenantService tenants;
  private final ServiceApis apis;

  HomeController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
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
      String bearer = apis.bearer();
      List<TenantCard> cards =
          tenants.tenants(200, bearer).items().stream().map(t -> card(t, bearer)).toList();
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
    try {
      tenants.createTenant(
          new NewTenant(name, displayName == null || displayName.isBlank() ? null : displayName),
          apis.bearer());
      redirect.addFlashAttribute("notice", "Tenant " + name + " created.");
      return "redirect:/t/" + name;
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      redirect.addFlashAttribute("name", name);
      return "redirect:/";
    }
  }

  private TenantCard card(TenantView tenant, String bearer) {
    QuotaView quota = tenants.tenantQuota(tenant.name(), bearer);
    List<Meter> meters = Meter.of(quota.limits(), quota.used());
    return new TenantCard(tenant.name(), tenant.displayName(), tenant.role(), meters.subList(0, 3));
  }
}
