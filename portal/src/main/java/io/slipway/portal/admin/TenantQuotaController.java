package io.slipway.portal.admin;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.ProjectUsage;
import io.slipway.kit.client.TenantViews.Resources;
import io.slipway.kit.client.TenantViews.TenantUsage;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.StoragePart;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A tenant's quotas for platform admins: the tenant's limits and each project's own. */
@Controller
class TenantQuotaController {

  private static final String TENANT = "/admin/t/{tenant:[a-z0-9-]{1,20}}";

  private final TenantService tenants;
  private final ServiceApis apis;

  TenantQuotaController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
  }

  @GetMapping(TENANT)
  String tenant(@PathVariable String tenant, Model model) {
    String bearer = apis.bearer();
    model.addAttribute("tenant", tenants.tenantView(tenant, bearer));
    model.addAttribute("quota", tenants.tenantQuota(tenant, bearer));
    TenantUsage usage = tenants.usage(tenant, 200, 0, bearer);
    model.addAttribute("projects", usage.projects().items());
    model.addAttribute("storage", StoragePart.of(usage));
    Map<String, Resources> own = new HashMap<>();
    for (ProjectUsage project : usage.projects().items()) {
      own.put(
          project.project(), tenants.projectQuotaView(tenant, project.project(), bearer).limits());
    }
    model.addAttribute("own", own);
    model.addAttribute("fields", QuotaForm.FIELDS);
    model.addAttribute("projectFields", QuotaForm.PROJECT_FIELDS);
    model.addAttribute("labels", QuotaForm.LABELS);
    return "admin/tenant";
  }

  @PostMapping(TENANT + "/quota")
  String tenantQuota(
      @PathVariable String tenant,
      @RequestParam Map<String, String> form,
      RedirectAttributes redirect) {
    return save(
        tenant,
        redirect,
        () -> tenants.putTenantQuota(tenant, QuotaForm.limits(form, false), apis.bearer()),
        "Quota of " + tenant + " saved.");
  }

  @PostMapping(TENANT + "/p/{project:[a-z0-9-]{1,20}}/quota")
  String projectQuota(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam Map<String, String> form,
      RedirectAttributes redirect) {
    return save(
        tenant,
        redirect,
        () -> tenants.putProjectQuota(tenant, project, QuotaForm.limits(form, true), apis.bearer()),
        "Quota of " + tenant + "/" + project + " saved.");
  }

  private static String save(
      String tenant, RedirectAttributes redirect, Runnable call, String notice) {
    return Flash.after(call, notice, redirect, "/admin/t/" + tenant);
  }
}
