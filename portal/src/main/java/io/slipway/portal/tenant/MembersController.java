package io.slipway.portal.tenant;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.MemberRole;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApis;
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

  private final TenantService tenants;
  private final ServiceApis apis;

  MembersController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
  }

  @GetMapping(MEMBERS)
  String members(@PathVariable String tenant, @AuthenticationPrincipal OidcUser user, Model model) {
    String bearer = apis.bearer();
    model.addAttribute("tenant", tenants.tenantView(tenant, bearer));
    model.addAttribute("members", tenants.tenantMembers(tenant, 200, bearer).items());
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
        () -> tenants.putMember(tenant, username, new MemberRole(role), apis.bearer()),
        username + " is now " + role + ".");
  }

  @PostMapping(MEMBERS + "/{username}/remove")
  String remove(
      @PathVariable String tenant, @PathVariable String username, RedirectAttributes redirect) {
    return change(
        tenant,
        redirect,
        () -> tenants.removeMember(tenant, username, apis.bearer()),
        username + " was removed.");
  }

  private static String change(
      String tenant, RedirectAttributes redirect, Runnable call, String notice) {
    return Flash.after(call, notice, redirect, "/t/" + tenant + "/members");
  }
}
