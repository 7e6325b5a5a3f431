package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds;
import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.portal.web.EventStreams;
import io.slipway.portal.web.EventStreams.Event;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A build: its stages, its log (live while it runs, relayed from build-service with the user's
 * token; kept once it ended) and cancelling it.
 */
@Controller
class BuildController {

  static final String BUILD = AppRef.PATH + "/builds/{number:[0-9]{1,9}}";
  static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");
  static final MediaType CYCLONEDX = MediaType.parseMediaType("application/vnd.cyclonedx+json");
  private static final Duration KEPT_LOG_BUDGET = Duration.ofSeconds(5);

  private final ServiceApis apis;
  private final AppBuilds builds;
  private final AppBuilds logs;

  BuildController(ServiceApis apis) {
    this.apis = apis;
    this.builds = apis.appBuilds();
    this.logs = apis.buildStreams();
  }

  @GetMapping(BUILD)
  String build(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      Model model) {
    AppRef ref = new AppRef(tenant, project, app);
    BuildView build = builds.build(tenant, project, app, number, apis.bearer());
    boolean finished = FINISHED.contains(build.status());
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    model.addAttribute("appName", app);
    model.addAttribute("base", ref.page());
    model.addAttribute("build", build);
    model.addAttribute("finished", finished);
    model.addAttribute("stages", build.stages() == null ? List.of() : build.stages());
    if ("succeeded".equals(build.status())) {
      Parts.load(
          model,
          "scan",
          () -> ScanReport.of(builds.scan(tenant, project, app, number, apis.bearer())));
    }
    if (finished) {
      try {
        model.addAttribute("log", keptLog(ref, number));
      } catch (ServiceProblem problem) {
        model.addAttribute("logError", problem.getMessage());
      }
    }
    return "build";
  }

  @PostMapping(BUILD + "/cancel")
  String cancel(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return Flash.after(
        () -> builds.cancelBuild(tenant, project, app, number, apis.bearer()),
        "Build #" + number + " cancelled.",
        redirect,
        ref.page() + "/builds/" + number);
  }

  /**
   * The image's CycloneDX SBOM, fetched from build-service with the user's token and handed on as a
   * file download.
   */
  @GetMapping(BUILD + "/sbom")
  ResponseEntity<byte[]> sbom(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    byte[] sbom = builds.sbom(tenant, project, app, number, apis.bearer());
    return ResponseEntity.ok()
        .contentType(CYCLONEDX)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(app + "-build-" + number + ".cdx.json")
                .build()
                .toString())
        .body(sbom);
  }

  /** The live log as Server-Sent Events ({@code log} lines, then {@code end} with the status). */
  @GetMapping(BUILD + "/log")
  void liveLog(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      HttpServletResponse response)
      throws IOException {
    EventStreams.relay(() -> logs.buildLog(tenant, project, app, number, apis.bearer()), response);
  }

  /** The log as kept so far, as plain text: the fallback when the live stream cannot be had. */
  @GetMapping(value = BUILD + "/log.txt", produces = MediaType.TEXT_PLAIN_VALUE)
  @ResponseBody
  String keptLog(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    return keptLog(new AppRef(tenant, project, app), number);
  }

  private String keptLog(AppRef ref, int number) {
    List<Event> events =
        EventStreams.read(
            logs.buildLog(ref.tenant(), ref.project(), ref.app(), number, apis.bearer()),
            "end",
            KEPT_LOG_BUDGET);
    return events.stream()
        .filter(e -> e.name().equals("log"))
        .map(Event::data)
        .collect(Collectors.joining("\n"));
  }
}
