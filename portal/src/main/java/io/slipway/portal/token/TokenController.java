package io.slipway.portal.token;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.CreatedToken;
import io.slipway.kit.client.TenantViews.NewToken;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.time.Instant;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Personal access tokens: for git over HTTP and for the API from scripts. A new token's secret is
 * shown once, on the page that follows its creation, and never again.
 */
@Controller
@RequestMapping("/tokens")
class TokenController {

  private final TenantService tenants;
  private final ServiceApis apis;

  TokenController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
  }

  @GetMapping
  String list(@AuthenticationPrincipal OidcUser user, Model model) {
    model.addAttribute("user", user.getPreferredUsername());
    try {
      Instant now = Instant.now();
      model.addAttribute(
          "tokens",
          tenants.tokens(200, apis.bearer()).items().stream()
              .map(token -> TokenRow.of(token, now))
              .toList());
    } catch (ServiceProblem problem) {
      model.addAttribute("tokens", List.of());
      model.addAttribute("error", problem.getMessage());
    }
    return "tokens";
  }

  @PostMapping
  String create(
      @RequestParam String name,
      @RequestParam(required = false) List<String> scopes,
      @RequestParam(defaultValue = "30") int expiresInDays,
      RedirectAttributes redirect) {
    try {
      CreatedToken created =
          tenants.createToken(
              new NewToken(name, scopes == null ? List.of() : scopes, expiresInDays),
              apis.bearer());
      redirect.addFlashAttribute("created", created);
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
    }
    return "redirect:/tokens";
  }

  @PostMapping("/{id}/revoke")
  String revoke(@PathVariable long id, RedirectAttributes redirect) {
    return Flash.after(
        () -> tenants.revokeToken(id, apis.bearer()),
        "Token revoked. It stopped working at once.",
        redirect,
        "/tokens");
  }
}
