package io.slipway.portal.project;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.ImageDeploy;
import io.slipway.kit.client.RuntimeBridge.Revision;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.NewApp;
import io.slipway.kit.client.TenantViews.ProjectQuotaView;
import io.slipway.kit.tenant.Role;
import io.slipway.portal.web.Meter;
import io.slipway.portal.web.Parts;
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
 * A project's apps and creating one: from hosted git, an external repository, or an existing image
 * (which is deployed at once).
 */
@Controller
class ProjectController {

  private static final String PROJECT = "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}";

  private final TenantService tenants;
  private final RuntimeBridge runtime;
  private final ServiceApis apis;

  ProjectController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.runtime = apis.runtimeBridge();
    this.apis = apis;
  }

  @GetMapping(PROJECT)
  String project(@PathVariable String tenant, @PathVariable String project, Model model) {
    String bearer = apis.bearer();
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", tenants.projectView(tenant, project, bearer));
    model.addAttribute("apps", tenants.projectApps(tenant, project, 200, bearer).items());
    ProjectQuotaView quota = tenants.projectQuotaView(tenant, project, bearer);
    model.addAttribute("meters", Meter.ofProject(quota.effective(), quota.used()));
    model.addAttribute("previewsMeter", previewsMeter(quota));
    Parts.load(
        model, "previewSettings", () -> tenants.previewSettingsView(tenant, project, bearer));
    model.addAttribute("canAdmin", canAdmin(tenant, bearer));
    return "project";
  }

  /** The project's previews against their quota (issue 25), which the other meters leave out. */
  private static Meter previewsMeter(ProjectQuotaView quota) {
    Long used = quota.used() == null ? null : quota.used().previews();
    return new Meter(
        "Previews",
        "",
        used == null ? 0 : used,
        quota.effective() == null ? null : quota.effective().previews());
  }

  /**
   * Whether the user may set the project's preview bounds: a tenant-admin, or a platform admin (who
   * sees the tenant with no role). Only the form depends on it; tenant-service decides.
   */
  private boolean canAdmin(String tenant, String bearer) {
    try {
      String role = tenants.tenantView(tenant, bearer).role();
      return role == null || Role.parse(role).filter(r -> r.atLeast(Role.TENANT_ADMIN)).isPresent();
    } catch (ServiceProblem problem) {
      return false;
    }
  }

  @PostMapping(PROJECT + "/apps")
  String createApp(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam String name,
      @RequestParam(defaultValue = "hosted-git") String source,
      @RequestParam(required = false) String sourceRef,
      @RequestParam(required = false) Integer port,
      RedirectAttributes redirect) {
    String ref = sourceRef == null ? "" : sourceRef.strip();
    String projectPage = "/t/" + tenant + "/p/" + project;
    if (!"hosted-git".equals(source) && ref.isEmpty()) {
      redirect.addFlashAttribute(
          "error",
          "image".equals(source)
              ? "Name the image to run, such as registry.example.com/team/shop:1.4."
              : "Give the URL of the external repository, such as https://github.com/team/shop.git.");
      return "redirect:" + projectPage;
    }
    NewApp app =
        new NewApp(name, source, ref.isEmpty() || "hosted-git".equals(source) ? null : ref);
    try {
      tenants.createApp(tenant, project, app, apis.bearer());
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      return "redirect:" + projectPage;
    }
    redirect.addFlashAttribute("notice", "App " + name + " created.");
    if ("image".equals(source)) {
      deployImage(tenant, project, name, ref, port, redirect);
    }
    return "redirect:" + projectPage + "/a/" + name;
  }

  /** An app from an image has nothing to build: its first revision is deployed right away. */
  private void deployImage(
      String tenant,
      String project,
      String app,
      String image,
      Integer port,
      RedirectAttributes redirect) {
    try {
      Revision revision =
          runtime.deploy(tenant, project, app, new ImageDeploy(image, port), apis.bearer());
      if (revision != null && "failed".equals(revision.status())) {
        redirect.addFlashAttribute(
            "error",
            "App "
                + app
                + " was created, but its first deploy failed: "
                + (revision.reason() == null ? "no reason given" : revision.reason()));
      } else {
        redirect.addFlashAttribute("notice", "App " + app + " created and " + image + " deployed.");
      }
    } catch (ServiceProblem problem) {
      redirect.getFlashAttributes().remove("notice");
      String why =
          problem.reasons().isEmpty()
              ? problem.getMessage().replaceFirst("[.\\s]*$", ".")
              : "the image policy refused it.";
      redirect.addFlashAttribute(
          "error",
          "App "
              + app
              + " was created, but "
              + image
              + " was not deployed: "
              + why
              + " Deploy it again from this page once that is fixed.");
      if (!problem.reasons().isEmpty()) {
        redirect.addFlashAttribute("reasons", problem.reasons());
      }
    }
  }
}
