package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds;
import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.RuntimeBridge.EnvView;
import io.slipway.kit.client.RuntimeBridge.RevisionView;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.ProjectView;
import io.slipway.kit.tenant.Role;
import io.slipway.portal.PortalProperties;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.time.Instant;
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

/**
 * An app's page, assembled from the three services (each part on its own, so one service down hides
 * only its part), and deleting the app.
 */
@Controller
class AppController {

  private static final int BUILDS_SHOWN = 10;
  private static final int RUNS_SHOWN = 10;
  private static final int PROJECTS_SHOWN = 100;

  private final ServiceApis apis;
  private final TenantService catalog;
  private final AppBuilds builds;
  private final RuntimeBridge runtime;
  private final String gitUrl;
  private final AppPreviews previews;

  AppController(ServiceApis apis, PortalProperties properties) {
    this.apis = apis;
    this.catalog = apis.tenantService();
    this.builds = apis.appBuilds();
    this.runtime = apis.runtimeBridge();
    this.gitUrl = properties.gitUrl().toString().replaceAll("/+$", "");
    this.previews = new AppPreviews(apis);
  }

  /** Environment variables (values shown) and the names of secrets (values never leave). */
  public record Environment(Map<String, String> env, List<String> secrets) {
    static Environment of(EnvView view) {
      Map<String, String> env = view.env() == null ? new TreeMap<>() : new TreeMap<>(view.env());
      List<String> secrets = view.secrets() == null ? List.of() : view.secrets();
      return new Environment(env, secrets.stream().sorted().toList());
    }
  }

  @GetMapping(AppRef.PATH)
  String app(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(name = "run", required = false) String run,
      Model model) {
    String bearer = apis.bearer();
    TenantService.App appView = catalog.app(tenant, project, app, bearer);
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    model.addAttribute("app", appView);
    model.addAttribute("limits", FormLimits.SHARED);
    model.addAttribute("base", new AppRef(tenant, project, app).page());
    // a preview has no repository of its own: it is a branch of its app's
    String repository = appView.parent() == null ? app : appView.parent();
    model.addAttribute(
        "gitRemote", gitUrl + "/" + tenant + "/" + project + "/" + repository + ".git");
    previews.addTo(model, tenant, project, appView, bearer);
    if ("external-git".equals(appView.source())) {
      Parts.load(model, "webhook", () -> builds.webhook(tenant, project, app, bearer));
      Parts.load(model, "commitStatus", () -> builds.commitStatus(tenant, project, app, bearer));
    }
    Parts.load(
        model, "builds", () -> builds.builds(tenant, project, app, BUILDS_SHOWN, bearer).items());
    Parts.load(model, "deployment", () -> runtime.deploymentsView(tenant, project, app, bearer));
    // an app that is no VM is a 404, which adds nothing
    Parts.load(model, "vm", () -> runtime.vm(tenant, project, app, bearer));
    Parts.load(
        model, "environment", () -> Environment.of(runtime.env(tenant, project, app, bearer)));
    Parts.load(
        model, "domains", () -> DomainEntry.all(runtime.domains(tenant, project, app, bearer)));
    Parts.load(model, "events", () -> runtime.events(tenant, project, app, bearer).items());
    Parts.load(
        model,
        "jobs",
        () -> ScheduledJobs.of(runtime.cron(tenant, project, app, bearer), Instant.now()));
    if (run != null && run.matches("[a-z0-9]{1,32}")) {
      // the run Run now started: its part of the page follows it until it ends
      Parts.load(
          model,
          "jobRun",
          () ->
              AppRun.of(
                  runtime.run(tenant, project, app, run, bearer),
                  ScheduledJobsController.OUTPUT_LINES,
                  Instant.now()));
    }
    Parts.load(
        model,
        "runs",
        () ->
            runtime.runs(tenant, project, app, 0, RUNS_SHOWN, bearer).items().stream()
                .map(r -> AppRun.of(r, 0, Instant.now()))
                .toList());
    boolean canDevelop = canDevelop(tenant, bearer);
    model.addAttribute("canDevelop", canDevelop);
    DeploymentsView deployment = (DeploymentsView) model.getAttribute("deployment");
    AppStatus status = AppStatus.of(deployment);
    model.addAttribute("status", status);
    if (status.live()) {
      Parts.load(model, "scaleToZero", () -> runtime.scaleToZero(tenant, project, app, bearer));
      Parts.load(model, "autoscaling", () -> runtime.autoscaling(tenant, project, app, bearer));
      Parts.load(model, "function", () -> runtime.function(tenant, project, app, bearer));
    }
    if (canDevelop && status.live()) {
      // where the live image can be promoted: the tenant's other projects
      Parts.load(
          model,
          "promoteProjects",
          () ->
              catalog.projects(tenant, PROJECTS_SHOWN, bearer).items().stream()
                  .map(ProjectView::name)
                  .filter(name -> !name.equals(project))
                  .toList());
    }
    model.addAttribute(
        "pushToLive",
        PushToLive.of(deployment, number -> build(tenant, project, app, number, bearer))
            .orElse(null));
    model.addAttribute("buildOfRevision", buildOfRevision(deployment));
    return "app";
  }

  /**
   * Whether the user may change the app (a developer or more, or a platform admin, who has no role
   * in the tenant): only then are buttons such as Run now shown. runtime-bridge decides anyway.
   */
  private boolean canDevelop(String tenant, String bearer) {
    try {
      String role = catalog.tenantView(tenant, bearer).role();
      return role == null || Role.parse(role).filter(r -> r.atLeast(Role.DEVELOPER)).isPresent();
    } catch (ServiceProblem problem) {
      return false;
    }
  }

  /** Build {@code number} of the app; empty when build-service cannot say. */
  private Optional<BuildView> build(
      String tenant, String project, String app, int number, String bearer) {
    try {
      return Optional.of(builds.build(tenant, project, app, number, bearer));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The number of the build each revision was made from, as the revision names it: events and the
   * deploy history name and link builds by it.
   */
  static Map<Integer, String> buildOfRevision(DeploymentsView deployment) {
    Map<Integer, String> numbers = new HashMap<>();
    if (deployment == null || deployment.revisions() == null) {
      return numbers;
    }
    for (RevisionView revision : deployment.revisions()) {
      if (revision.buildNumber() != null) {
        numbers.put(revision.revision(), revision.buildNumber().toString());
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
    String bearer = apis.bearer();
    try {
      try {
        runtime.delete(tenant, project, app, bearer);
      } catch (ServiceProblem problem) {
        if (problem.status() != 404) {
          throw problem;
        }
      }
      catalog.deleteApp(tenant, project, app, bearer);
      redirect.addFlashAttribute("notice", "App " + app + " deleted.");
      return "redirect:" + ref.projectPage();
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", "The app was not deleted: " + problem.getMessage());
      return "redirect:" + ref.page();
    }
  }
}
