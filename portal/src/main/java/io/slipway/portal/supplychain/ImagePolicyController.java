package io.slipway.portal.supplychain;

import io.slipway.kit.client.RuntimePolicies;
import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.kit.client.RuntimePolicies.RetentionChange;
import io.slipway.kit.client.RuntimePolicies.TenantPolicy;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.kit.tenant.Role;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A tenant's image policy: the platform's floor, what the tenant adds to it, and what applies.
 * Tenant admins tighten it and waive advisories (with a reason and an expiry); every member reads
 * it. Below it, how many of each app's newest revisions keep their images (image retention).
 * runtime-bridge decides who may change them; the page only hides forms that would be refused.
 */
@Controller
class ImagePolicyController {

  static final String PAGE = "/t/{tenant}/image-policy";

  private final TenantService tenants;
  private final RuntimePolicies policies;
  private final ServiceApis apis;

  ImagePolicyController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.policies = apis.runtimePolicies();
    this.apis = apis;
  }

  @GetMapping(PAGE)
  String policy(@PathVariable String tenant, Model model) {
    String bearer = apis.bearer();
    TenantView view = tenants.tenantView(tenant, bearer);
    String role = view.role() == null ? "" : view.role();
    model.addAttribute("tenant", view);
    // a platform admin who is not a member sees the tenant with no role, and may change it too
    model.addAttribute(
        "canChange",
        Role.parse(role).filter(r -> r.atLeast(Role.TENANT_ADMIN)).isPresent() || role.isEmpty());
    TenantPolicy policy = policies.tenantPolicy(tenant, bearer);
    model.addAttribute("floor", Rules.of(policy.floor()));
    model.addAttribute("own", Rules.of(policy.policy()));
    model.addAttribute("effective", Rules.of(policy.effective()));
    model.addAttribute("severities", Policies.SEVERITIES);
    model.addAttribute("today", LocalDate.now(ZoneOffset.UTC));
    Parts.load(model, "retention", () -> policies.retention(tenant, bearer));
    return "image-policy";
  }

  @PostMapping(PAGE)
  String tighten(
      @PathVariable String tenant,
      @RequestParam(defaultValue = "false") boolean requireSigned,
      @RequestParam(defaultValue = "") String allowedRegistries,
      @RequestParam String maxSeverity,
      RedirectAttributes redirect) {
    return change(
        tenant,
        own -> Policies.withRules(own, requireSigned, allowedRegistries, maxSeverity),
        "Image policy saved.",
        redirect);
  }

  @PostMapping(PAGE + "/waivers")
  String waive(
      @PathVariable String tenant,
      @RequestParam String advisoryId,
      @RequestParam String reason,
      @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate expiresOn,
      RedirectAttributes redirect) {
    if (advisoryId.isBlank() || reason.isBlank()) {
      redirect.addFlashAttribute("error", "A waiver names the advisory and says why.");
      return "redirect:/t/" + tenant + "/image-policy";
    }
    return change(
        tenant,
        own -> Policies.withWaiver(own, advisoryId, reason, expiresOn),
        "Advisory " + advisoryId.strip() + " waived until " + expiresOn + ".",
        redirect);
  }

  @PostMapping(PAGE + "/waivers/remove")
  String unwaive(
      @PathVariable String tenant, @RequestParam String advisoryId, RedirectAttributes redirect) {
    return change(
        tenant,
        own -> Policies.without(own, advisoryId),
        "The waiver of " + advisoryId + " was removed.",
        redirect);
  }

  /**
   * Sets how many of each app's newest revisions keep their images; blank goes back to the
   * platform's default. runtime-bridge checks the bounds.
   */
  @PostMapping("/t/{tenant}/image-retention")
  String retain(
      @PathVariable String tenant,
      @RequestParam(defaultValue = "") String revisions,
      RedirectAttributes redirect) {
    String page = "/t/" + tenant + "/image-policy";
    Integer count;
    try {
      count = revisions.isBlank() ? null : Integer.valueOf(revisions.strip());
    } catch (NumberFormatException e) {
      redirect.addFlashAttribute("error", "The number of revisions is a whole number.");
      return "redirect:" + page + "#retention";
    }
    return Flash.after(
        () -> policies.setRetention(tenant, new RetentionChange(count), apis.bearer()),
        count == null
            ? "Image retention is the platform's default again."
            : "The images of each app's newest "
                + count
                + " revisions are kept (and those of live and pinned ones).",
        redirect,
        page);
  }

  /** Reads the tenant's own policy, changes it and writes it back whole. */
  private String change(
      String tenant,
      UnaryOperator<PolicyDocument> edit,
      String notice,
      RedirectAttributes redirect) {
    return Flash.after(
        () -> {
          String bearer = apis.bearer();
          PolicyDocument own = policies.tenantPolicy(tenant, bearer).policy();
          if (own == null) {
            throw new ServiceProblem(502, "runtime-bridge sent no policy for " + tenant);
          }
          policies.setTenantPolicy(tenant, edit.apply(own), bearer);
        },
        notice,
        redirect,
        "/t/" + tenant + "/image-policy");
  }
}
