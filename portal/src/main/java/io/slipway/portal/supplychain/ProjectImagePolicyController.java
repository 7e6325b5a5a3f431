package io.slipway.portal.supplychain;

import io.slipway.kit.client.RuntimePolicies;
import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.kit.client.RuntimePolicies.ProjectPolicy;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.kit.tenant.Role;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A project's image policy: its tenant's, what the project adds to it (production requires signed
 * images where staging does not), and what applies to the project's apps, promotions included.
 * Tenant admins tighten it; every member reads it. A project's policy holds no waivers: those are
 * the tenant's. runtime-bridge decides who may change it; the page only hides the form.
 */
@Controller
class ProjectImagePolicyController {

  static final String PAGE = "/t/{tenant}/p/{project}/image-policy";

  private final TenantService tenants;
  private final RuntimePolicies policies;
  private final ServiceApis apis;

  ProjectImagePolicyController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.policies = apis.runtimePolicies();
    this.apis = apis;
  }

  @GetMapping(PAGE)
  String policy(@PathVariable String tenant, @PathVariable String project, Model model) {
    String bearer = apis.bearer();
    ProjectPolicy policy = policies.projectPolicy(tenant, project, bearer);
    TenantView view = tenants.tenantView(tenant, bearer);
    String role = view.role() == null ? "" : view.role();
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    // a platform admin who is not a member sees the tenant with no role, and may change it too
    model.addAttribute(
        "canChange",
        Role.parse(role).filter(r -> r.atLeast(Role.TENANT_ADMIN)).isPresent() || role.isEmpty());
    model.addAttribute("inherited", Rules.of(policy.tenantEffective()));
    model.addAttribute("own", Rules.of(policy.policy()));
    model.addAttribute("effective", Rules.of(policy.effective()));
    model.addAttribute("severities", Policies.SEVERITIES);
    return "project-image-policy";
  }

  @PostMapping(PAGE)
  String tighten(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam(defaultValue = "false") boolean requireSigned,
      @RequestParam(defaultValue = "") String allowedRegistries,
      @RequestParam String maxSeverity,
      RedirectAttributes redirect) {
    return Flash.after(
        () -> {
          String bearer = apis.bearer();
          PolicyDocument own = policies.projectPolicy(tenant, project, bearer).policy();
          if (own == null) {
            throw new ServiceProblem(502, "runtime-bridge sent no policy for " + project);
          }
          policies.setProjectPolicy(
              tenant,
              project,
              Policies.withRules(own, requireSigned, allowedRegistries, maxSeverity),
              bearer);
        },
        "Image policy of project " + project + " saved.",
        redirect,
        "/t/" + tenant + "/p/" + project + "/image-policy");
  }
}
