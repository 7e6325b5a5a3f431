package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.ProcessTypes;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * An app's one-off runs ({@link OneOffRuns}): a developer or more runs a command and gets its end
 * (201), or, asking {@code Prefer: respond-async}, the run at once (202, {@code Location} of the
 * run, which is read until it has ended, or its output followed); a viewer may read the runs and
 * follow their output; anyone else gets 404, as for the app itself.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/runs")
class RunController {

  private static final int MAX_PAGE_SIZE = 100;

  private final OneOffRuns runs;
  private final RunStore store;
  private final AppAccess access;
  private final RunOutputs outputs;

  RunController(OneOffRuns runs, RunStore store, AppAccess access, RunOutputs outputs) {
    this.runs = runs;
    this.store = store;
    this.access = access;
    this.outputs = outputs;
  }

  /** The command to run: 1 to 4096 characters, without NUL. */
  record RunRequest(String command) {}

  /** A page of runs, newest first, as tenant-service pages its lists. */
  record RunPage(List<RunStore.Run> items, int page, int size, long total) {}

  /**
   * Runs the command to its end, or until {@code slipway.runtime.run-timeout} (then killed): 201
   * with how it ended, whatever its exit code. With {@code Prefer: respond-async} (RFC 7240) the
   * answer comes once it started: 202 with the run, still running, and its {@code Location}.
   */
  @PostMapping
  ResponseEntity<RunStore.Run> run(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody RunRequest request,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    String command = request == null ? null : request.command();
    if (!ProcessTypes.validRunCommand(command)) {
      throw Problem.badRequest(
          "invalid-command",
          "command must be 1 to "
              + ProcessTypes.MAX_RUN_COMMAND
              + " characters, not blank, without NUL");
    }
    AppRef ref = access.require(tenant, project, app, caller, true);
    if (!respondAsync(prefer)) {
      return ResponseEntity.status(HttpStatus.CREATED).body(runs.run(ref, command, caller));
    }
    RunStore.Run started = runs.start(ref, command, caller);
    URI location =
        ServletUriComponentsBuilder.fromCurrentRequestUri()
            .path("/{id}")
            .buildAndExpand(started.id())
            .toUri();
    return ResponseEntity.accepted().location(location).body(started);
  }

  /** Whether a {@code Prefer} header asks for {@code respond-async} among its preferences. */
  static boolean respondAsync(String prefer) {
    if (prefer == null) {
      return false;
    }
    for (String preference : prefer.split(",")) {
      String name = preference.split("[;=]", 2)[0].strip();
      if (name.equalsIgnoreCase("respond-async")) {
        return true;
      }
    }
    return false;
  }

  @GetMapping
  RunPage list(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @AuthenticationPrincipal Jwt caller) {
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      throw Problem.badRequest(
          "invalid-page", "page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
    }
    AppRef ref = access.require(tenant, project, app, caller, false);
    return new RunPage(store.page(ref.appId(), page, size), page, size, store.count(ref.appId()));
  }

  @GetMapping("/{id}")
  RunStore.Run one(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, false);
    return store.find(ref.appId(), id).orElseThrow(() -> Problem.notFound("Run", id));
  }

  /**
   * The run's output as Server-Sent Events: a {@code log} event per line from its start, live while
   * it runs, then an {@code end} event with the run as {@link #one} answers it ({@link
   * RunOutputs}).
   */
  @GetMapping(path = "/{id}/output", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter output(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, false);
    RunStore.Run run = store.find(ref.appId(), id).orElseThrow(() -> Problem.notFound("Run", id));
    return outputs.stream(ref, run, caller);
  }
}
