package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.CronEntry;
import io.slipway.kit.client.RuntimeBridge.RunRequest;
import io.slipway.kit.client.RuntimeBridge.RunView;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * Run now: starts one of the app's scheduled jobs at once, as a one-off run of the live revision,
 * and redirects to the app page at once, which shows the run ({@code ?run=<id>}) until it ended
 * ({@link AppRunsController}). The form names the entry, never a command: the command is the one
 * the live revision declares, read from runtime-bridge with the user's token, so the button runs
 * nothing a developer could not run anyway, and runtime-bridge decides who may (a viewer is refused
 * with 403).
 */
@Controller
class ScheduledJobsController {

  /** How many of a run's last output lines the app page shows. */
  static final int OUTPUT_LINES = 20;

  private final ServiceApis apis;
  private final RuntimeBridge runtime;

  ScheduledJobsController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeBridge();
  }

  @PostMapping(AppRef.PATH + "/cron/{entry:[0-9a-f]{1,64}}/run")
  String runNow(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String entry,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String page = "redirect:" + ref.page() + "#jobs";
    String bearer = apis.bearer();
    try {
      Optional<CronEntry> declared =
          runtime.cron(tenant, project, app, bearer).entries().stream()
              .filter(e -> entry.equals(e.id()))
              .findFirst();
      if (declared.isEmpty()) {
        redirect.addFlashAttribute(
            "error",
            "The job was not run: the live revision no longer declares it in app.json's cron.");
        return page;
      }
      RunView run =
          runtime.startRun(tenant, project, app, new RunRequest(declared.get().command()), bearer);
      redirect.addFlashAttribute(
          "notice", "Started " + run.command() + ": how it goes shows below until it ends.");
      // the run's part of the page follows it by its id, so a reload keeps showing it
      return "redirect:"
          + ref.page()
          + "?run="
          + UriUtils.encodeQueryParam(run.id(), StandardCharsets.UTF_8)
          + "#jobs";
    } catch (ServiceProblem problem) {
      // another tenant's app is 404 here, and the page it leads to says so with its own 404
      redirect.addFlashAttribute("error", refused(problem));
    }
    return page;
  }

  private static String refused(ServiceProblem problem) {
    if (problem.status() == 403) {
      return "The job was not run: running a job needs the developer role in this tenant."
          + " runtime-bridge said: "
          + problem.getMessage();
    }
    return "The job was not run: " + problem.getMessage();
  }
}
