package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantService.Preview;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Deleting a preview (issue 25) from its app's page or its own, once the user typed its name. The
 * preview is read first with the user's token, so one of another tenant (or none) is the 404 page
 * before anything is asked to change; then what runs goes (runtime-bridge stops it and frees its
 * route at once), then the catalog entry, whose deletion event removes its builds and images.
 */
@Controller
class PreviewsController {

  private final ServiceApis apis;
  private final TenantService catalog;
  private final RuntimeBridge runtime;

  PreviewsController(ServiceApis apis) {
    this.apis = apis;
    this.catalog = apis.tenantService();
    this.runtime = apis.runtimeBridge();
  }

  @PostMapping(AppRef.PATH + "/previews/{preview:[a-z0-9-]{1,21}}/delete")
  String delete(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestParam(defaultValue = "") String confirm,
      RedirectAttributes redirect) {
    String page = new AppRef(tenant, project, app).page() + "#previews";
    String bearer = apis.bearer();
    Preview found = catalog.preview(tenant, project, app, preview, bearer);
    if (!preview.equals(confirm.strip())) {
      redirect.addFlashAttribute(
          "error",
          "Type the preview's name, " + preview + ", to confirm that it should be deleted.");
      return "redirect:" + page;
    }
    try {
      // 404 from either: nothing (left) there to delete, which is what was asked
      ignoringNotFound(() -> runtime.delete(tenant, project, found.app(), bearer));
      ignoringNotFound(() -> catalog.deletePreview(tenant, project, app, preview, bearer));
      redirect.addFlashAttribute(
          "notice",
          "Preview "
              + preview
              + " deleted: its containers and route are gone, its builds and images follow.");
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", "The preview was not deleted: " + refused(problem));
    }
    return "redirect:" + page;
  }

  private static void ignoringNotFound(Runnable call) {
    try {
      call.run();
    } catch (ServiceProblem problem) {
      if (problem.status() != 404) {
        throw problem;
      }
    }
  }

  private static String refused(ServiceProblem problem) {
    return problem.status() == 403
        ? "deleting a preview needs the developer role in this tenant."
        : problem.getMessage();
  }
}
