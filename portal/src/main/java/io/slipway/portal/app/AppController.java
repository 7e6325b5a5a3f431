package io.slipway.portal.app;

import io.slipway.portal.PortalProperties;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * An app's page, assembled from the three services (each part on its own, so one service down hides
 * only its part), and deleting the app.
 */
@Controller
class AppController {

  private final ServiceApi catalog;
  private final ServiceApi builds;
  private final ServiceApi runtime;
  private final String gitUrl;

  AppController(ServiceApis apis, PortalProperties properties) {
    this.catalog = apis.tenant();
    this.builds = apis.build();
    this.runtime = apis.runtime();
    this.gitUrl = properties.gitUrl().toString().replaceAll("/+$", "");
  }

  /** Environment variables (values shown) and the names of secrets (values never leave). */
  public record Environment(Map<String, String> env, List<String> secrets) {
    static Environment of(JsonNode view) {
      Map<String, String> env = new TreeMap<>();
      view.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
      return new Environment(
          env, view.path("secrets").valueStream().map(JsonNode::asString).sorted().toList());
    }
  }

  @GetMapping(AppRef.PATH)
  String app(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      Model model) {
    AppRef ref = new AppRef(tenant, project, app);
    JsonNode appView = catalog.get(AppRef.API, ref.vars());
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    model.addAttribute("app", appView);
    model.addAttribute("limits", FormLimits.SHARED);
    model.addAttribute("base", ref.page());
    model.addAttribute("gitRemote", gitUrl + "/" + tenant + "/" + project + "/" + app + ".git");
    if ("external-git".equals(appView.path("source").asString())) {
      Parts.load(model, "webhook", () -> builds.get(AppRef.API + "/webhook", ref.vars()));
    }
    Parts.load(
        model,
        "builds",
        () -> ServiceApi.items(builds.get(AppRef.API + "/builds?size=10", ref.vars())));
    Parts.load(model, "deployment", () -> runtime.get(AppRef.API + "/deployments", ref.vars()));
    Parts.load(
        model, "environment", () -> Environment.of(runtime.get(AppRef.API + "/env", ref.vars())));
    Parts.load(
        model, "domains", () -> DomainEntry.all(runtime.get(AppRef.API + "/domains", ref.vars())));
    Parts.load(
        model, "events", () -> ServiceApi.items(runtime.get(AppRef.API + "/events", ref.vars())));
    JsonNode deployment = (JsonNode) model.getAttribute("deployment");
    model.addAttribute("status", AppStatus.of(deployment));
    model.addAttribute(
        "pushToLive", PushToLive.of(deployment, number -> build(ref, number)).orElse(null));
    model.addAttribute("buildOfRevision", buildOfRevision(deployment));
    return "app";
  }

  /** Build {@code number} of the app; empty when build-service cannot say. */
  private Optional<JsonNode> build(AppRef ref, int number) {
    try {
      return Optional.of(
          builds.get(AppRef.API + "/builds/{n}", ref.tenant(), ref.project(), ref.app(), number));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The number of the build each revision was made from, as the revision names it: events and the
   * deploy history name and link builds by it.
   */
  static Map<Integer, String> buildOfRevision(JsonNode deployment) {
    Map<Integer, String> numbers = new HashMap<>();
    if (deployment == null) {
      return numbers;
    }
    for (JsonNode revision : deployment.path("revisions")) {
      if (revision.path("buildNumber").isNumber()) {
        numbers.put(revision.path("revision").asInt(), revision.path("buildNumber").asString());
      }
    }
    return numbers;
  }

  /**
   * Deletes the app: first what runs (runtime-bridge stops it and frees its route and domains),
   * then the catalog entry, which releases its quota. The user confirms by typing the app's name.
   */
  @PostMapping(AppRef.PATH + "/delete")
  String delete(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "") String confirm,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    if (!app.equals(confirm.strip())) {
      redirect.addFlashAttribute(
          "error", "Type the app's name, " + app + ", to confirm that it should be deleted.");
      return "redirect:" + ref.page();
    }
    try {
      try {
        runtime.delete(AppRef.API, ref.vars());
      } catch (ServiceProblem problem) {
        if (problem.status() != 404) {
          throw problem;
        }
      }
      catalog.delete(AppRef.API, ref.vars());
      redirect.addFlashAttribute("notice", "App " + app + " deleted.");
      return "redirect:" + ref.projectPage();
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", "The app was not deleted: " + problem.getMessage());
      return "redirect:" + ref.page();
    }
  }
}
