package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.CronEntry;
import io.slipway.kit.client.RuntimeBridge.RunRequest;
import io.slipway.kit.client.RuntimeBridge.RunView;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Run now: runs one of the app's scheduled jobs at once, as a one-off run of the live revision. The
 * form names the entry, never a command: the command is the one the live revision declares, read
 * from runtime-bridge with the user's token, so the button runs nothing a developer could not run
 * anyway, and runtime-bridge decides who may (a viewer is refused with 403).
 */
@Controller
class ScheduledJobsController {

  /** How many of a run's last output lines the page shows. */
  static final int OUTPUT_LINES = 20;

  private final ServiceApis apis;
  private final RuntimeBridge runtime;

  ScheduledJobsController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeBridge();
  }

  /**
   * A run's end as the app page shows it after the redirect (a flash attribute, so serializable).
   *
   * @param exitCode null when it timed out or was cut short
   * @param output its last {@value #OUTPUT_LINES} lines
   */
  public record JobRun(
      String entry,
      String command,
      Integer exitCode,
      boolean timedOut,
      String duration,
      String output,
      boolean outputCut)
      implements Serializable {

    private static final long serialVersionUID = 1L;

    static JobRun of(String entry, RunView run) {
      List<String> lines = run.output() == null ? List.of() : run.output().lines().toList();
      int from = Math.max(0, lines.size() - OUTPUT_LINES);
      return new JobRun(
          entry,
          run.command(),
          run.exitCode(),
          run.timedOut(),
          run.durationMs() == null ? "" : PushToLive.seconds(run.durationMs()),
          String.join("\n", lines.subList(from, lines.size())),
          from > 0);
    }

    /** How it ended, in words. */
    public String result() {
      return ScheduledJobs.ended(exitCode, timedOut);
    }
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
          runtime.run(tenant, project, app, new RunRequest(declared.get().command()), bearer);
      JobRun done = JobRun.of(entry, run);
      redirect.addFlashAttribute("jobRun", done);
      redirect.addFlashAttribute("notice", "Ran " + run.command() + ": " + done.result() + ".");
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
