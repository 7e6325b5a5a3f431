package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.portal.web.EventStreams;
import io.slipway.portal.web.ServiceApis;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A one-off run's page (its whole kept output, or, while it runs, its output live: the page follows
 * the relayed stream of runtime-bridge's events), and the part of a page that shows a run, which
 * the pages fetch again while it runs (slipway.js; without scripts a meta refresh reloads the
 * page). Viewers may read runs; another app's or tenant's run is 404, as runtime-bridge answers.
 */
@Controller
class AppRunsController {

  /** A run id as runtime-bridge makes them. */
  static final String RUN_ID = "{run:[a-z0-9]{1,32}}";

  private final ServiceApis apis;
  private final RuntimeBridge runtime;
  private final RuntimeBridge streams;

  AppRunsController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeBridge();
    this.streams = apis.runtimeStreams();
  }

  @GetMapping(AppRef.PATH + "/runs/" + RUN_ID)
  String run(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String run,
      Model model) {
    load(tenant, project, app, run, true, model);
    return "run";
  }

  /** The run part alone: the whole output, or the last lines the app page shows. */
  @GetMapping(AppRef.PATH + "/runs/" + RUN_ID + "/part")
  String part(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String run,
      @RequestParam(defaultValue = "false") boolean whole,
      Model model) {
    load(tenant, project, app, run, whole, model);
    return "fragments/run :: part";
  }

  /**
   * The run's output from its start, live while it runs, then its end, as Server-Sent Events
   * ({@code log}, {@code end}; {@code problem} when runtime-bridge refuses).
   */
  @GetMapping(AppRef.PATH + "/runs/" + RUN_ID + "/output")
  void output(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String run,
      HttpServletResponse response)
      throws IOException {
    EventStreams.relay(() -> streams.runOutput(tenant, project, app, run, apis.bearer()), response);
  }

  private void load(
      String tenant, String project, String app, String run, boolean whole, Model model) {
    int lines = whole ? AppRun.ALL_LINES : ScheduledJobsController.OUTPUT_LINES;
    model.addAttribute(
        "run",
        AppRun.of(runtime.run(tenant, project, app, run, apis.bearer()), lines, Instant.now()));
    model.addAttribute("whole", whole);
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    model.addAttribute("appName", app);
    model.addAttribute("base", new AppRef(tenant, project, app).page());
  }
}
