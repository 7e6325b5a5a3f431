package io.slipway.portal.tenant;

import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A tenant's members: invite, change roles, remove. tenant-service decides who may. */
@Controller
class MembersController {

  private static final String MEMBERS = TenantController.TENANT + "/members";

  private final ServiceApi api;

  MembersController(ServiceApis apis) {
    this.api = apis.tenant();
  }

  @GetMapping(MEMBERS)
  String members(@PathVariable String tenant, @AuthenticationPrincipal OidcUser user, Model model) {
    model.addAttribute("tenant", api.get("/api/v1/tenants/{t}", tenant));
    model.addAttribute(
        "members", ServiceApi.items(api.get("/api/v1/tenants/{t}/members?size=200", tenant)));
    model.addAttribute("me", user.getPreferredUsername());
    return "members";
  }

  @PostMapping(MEMBERS)
  String invite(
      @PathVariable String tenant,
      @RequestParam String username,
      @RequestParam String role,
      RedirectAttributes redirect) {
    return change(
        tenant,
        redirect,
        () -> api.put(Map.of("role", role), "/api/v1/tenants/{t}/members/{u}", tenant, username),
        username + " is now " + role + ".");
  }

  @PostMapping(MEMBERS + "/{username}/remove")
  String remove(
      @PathVariable String tenant, @PathVariable String username, RedirectAttributes redirect) {
    return change(
        tenant,
        redirect,
        () -> api.delete("/api/v1/tenants/{t}/members/{u}", tenant, username),
        username + " was removed.");
  }

  private static String change(
      String tenant, RedirectAttributes redirect, Runnable call, String notice) {
    return Flash.after(call, notice, redirect, "/t/" + tenant + "/members");
  }
}
