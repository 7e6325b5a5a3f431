package io.slipway.portal.project;

import io.slipway.portal.PortalProperties;
import io.slipway.portal.web.Flash;
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

/** A project's apps, and each app's page with the commands that deploy it. */
@Controller
class ProjectController {

  private static final String PROJECT = "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}";
  private static final String APP = PROJECT + "/a/{app:[a-z0-9-]{1,21}}";

  private final ServiceApi api;
  private final ServiceApi builds;
  private final ServiceApi runtime;
  private final String gitUrl;

  ProjectController(ServiceApis apis, PortalProperties properties) {
    this.api = apis.tenant();
    this.builds = apis.build();
    this.runtime = apis.runtime();
    this.gitUrl = properties.gitUrl().toString().replaceAll("/+$", "");
  }

  @GetMapping(PROJECT)
  String project(@PathVariable String tenant, @PathVariable String project, Model model) {
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", api.get("/api/v1/tenants/{t}/projects/{p}", tenant, project));
    model.addAttribute(
        "apps",
        ServiceApi.items(
            api.get("/api/v1/tenants/{t}/projects/{p}/apps?size=200", tenant, project)));
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
      RedirectAttributes redirect) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("source", source);
    if (sourceRef != null && !sourceRef.isBlank()) {
      body.put("sourceRef", sourceRef);
    }
    try {
      api.post(body, "/api/v1/tenants/{t}/projects/{p}/apps", tenant, project);
      redirect.addFlashAttribute("notice", "App " + name + " created.");
      return "redirect:/t/" + tenant + "/p/" + project + "/a/" + name;
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      return "redirect:/t/" + tenant + "/p/" + project;
    }
  }

  @GetMapping(APP)
  String app(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      Model model) {
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    var appView = api.get("/api/v1/tenants/{t}/projects/{p}/apps/{a}", tenant, project, app);
    model.addAttribute("app", appView);
    model.addAttribute("gitRemote", gitUrl + "/" + tenant + "/" + project + "/" + app + ".git");
    if ("external-git".equals(appView.path("source").asString())) {
      try {
        model.addAttribute(
            "webhook",
            builds.get("/api/v1/tenants/{t}/projects/{p}/apps/{a}/webhook", tenant, project, app));
      } catch (ServiceProblem problem) {
        model.addAttribute("webhookError", problem.getMessage());
      }
    }
    // Builds and deployments come from their own services; one being down must not hide the rest.
    try {
      model.addAttribute(
          "builds",
          ServiceApi.items(
              builds.get(
                  "/api/v1/tenants/{t}/projects/{p}/apps/{a}/builds?size=10",
                  tenant,
                  project,
                  app)));
    } catch (ServiceProblem problem) {
      model.addAttribute("buildsError", problem.getMessage());
    }
    try {
      model.addAttribute(
          "deployment",
          runtime.get(
              "/api/v1/tenants/{t}/projects/{p}/apps/{a}/deployments", tenant, project, app));
    } catch (ServiceProblem problem) {
      if (problem.status() != 404) {
        model.addAttribute("deploymentError", problem.getMessage());
      }
    }
    return "app";
  }

  @PostMapping(APP + "/webhook/rotate")
  String rotateWebhookSecret(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      RedirectAttributes redirect) {
    return operate(
        tenant,
        project,
        app,
        redirect,
        () ->
            builds.post(
                Map.of(),
                "/api/v1/tenants/{t}/projects/{p}/apps/{a}/webhook",
                tenant,
                project,
                app),
        "Webhook secret rotated: update it at your git host; the old one no longer works.");
  }

  @PostMapping(APP + "/rollback")
  String rollback(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int revision,
      RedirectAttributes redirect) {
    return operate(
        tenant,
        project,
        app,
        redirect,
        () ->
            runtime.post(
                Map.of("revision", revision),
                "/api/v1/tenants/{t}/projects/{p}/apps/{a}/rollback",
                tenant,
                project,
                app),
        "Rolled back to revision " + revision + ".");
  }

  @PostMapping(APP + "/scale")
  String scale(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int replicas,
      RedirectAttributes redirect) {
    return operate(
        tenant,
        project,
        app,
        redirect,
        () ->
            runtime.post(
                Map.of("replicas", replicas),
                "/api/v1/tenants/{t}/projects/{p}/apps/{a}/scale",
                tenant,
                project,
                app),
        "Scaled to " + replicas + " replica(s).");
  }

  private static String operate(
      String tenant,
      String project,
      String app,
      RedirectAttributes redirect,
      Runnable call,
      String notice) {
    return Flash.after(call, notice, redirect, "/t/" + tenant + "/p/" + project + "/a/" + app);
  }

  @PostMapping(APP + "/delete")
  String deleteApp(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      RedirectAttributes redirect) {
    try {
      api.delete("/api/v1/tenants/{t}/projects/{p}/apps/{a}", tenant, project, app);
      redirect.addFlashAttribute("notice", "App " + app + " deleted.");
      return "redirect:/t/" + tenant + "/p/" + project;
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", problem.getMessage());
      return "redirect:/t/" + tenant + "/p/" + project + "/a/" + app;
    }
  }
}
