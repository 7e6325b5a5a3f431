package io.slipway.portal.project;

import io.slipway.portal.web.Meter;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private static final String APPS = "/api/v1/tenants/{t}/projects/{p}/apps";

  private final ServiceApi api;
  private final ServiceApi runtime;

  ProjectController(ServiceApis apis) {
    this.api = apis.tenant();
    this.runtime = apis.runtime();
  }

  @GetMapping(PROJECT)
  String project(@PathVariable String tenant, @PathVariable String project, Model model) {
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", api.get("/api/v1/tenants/{t}/projects/{p}", tenant, project));
    model.addAttribute("apps", ServiceApi.items(api.get(APPS + "?size=200", tenant, project)));
    var quota = api.get("/api/v1/tenants/{t}/projects/{p}/quota", tenant, project);
    model.addAttribute("meters", Meter.of(quota.path("effective"), quota.path("used")));
    return "project";
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
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("source", source);
    if (!ref.isEmpty() && !"hosted-git".equals(source)) {
      body.put("sourceRef", ref);
    }
    try {
      api.post(body, APPS, tenant, project);
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
    Map<String, Object> deploy = new LinkedHashMap<>();
    deploy.put("image", image);
    if (port != null) {
      deploy.put("port", port);
    }
    try {
      var revision = runtime.post(deploy, APPS + "/{a}/deployments", tenant, project, app);
      if (revision != null && "failed".equals(revision.path("status").asString())) {
        redirect.addFlashAttribute(
            "error",
            "App "
                + app
                + " was created, but its first deploy failed: "
                + revision.path("reason").asString("no reason given"));
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
