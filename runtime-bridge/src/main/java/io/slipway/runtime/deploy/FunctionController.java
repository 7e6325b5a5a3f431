package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A function app's setting and its activations (issue 22): reads for a viewer, the setting's change
 * for a developer or more, audited as {@code app.function}; an app the caller cannot see, and an
 * activation of any other app, 404.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}")
class FunctionController {

  static final int MAX_LIMIT = 200;

  /** An activation's statuses, as the list filters them. */
  static final List<String> STATUSES = List.of("success", "error", "timeout");

  /** What an activation id looks like; anything else names none (and is never looked up). */
  private static final Pattern ID = Pattern.compile("ac[a-z2-7]{26}");

  private final AppAccess access;
  private final FunctionStore settings;
  private final ActivationStore activations;
  private final DeploymentStore store;
  private final FunctionImages functions;
  private final ChangeAudit audit;

  FunctionController(
      AppAccess access,
      FunctionStore settings,
      ActivationStore activations,
      DeploymentStore store,
      FunctionImages functions,
      ChangeAudit audit) {
    this.access = access;
    this.settings = settings;
    this.activations = activations;
    this.store = store;
    this.functions = functions;
    this.audit = audit;
  }

  /**
   * The setting, and whether the app's live revision is a function now ({@code runtime}: the
   * function runtime its image names, null when it is not a function or nothing is live).
   */
  record FunctionView(int timeoutSeconds, String runtime) {}

  /** The app's activations, newest first, and the id to pass as {@code before} for more. */
  record ActivationPage(List<ActivationStore.Activation> activations, String next) {}

  @GetMapping("/function")
  FunctionView get(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return view(access.require(tenant, project, app, caller, false));
  }

  /** Sets the invocation timeout; 400 {@code invalid-function-setting} out of bounds. */
  @PutMapping("/function")
  FunctionView put(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody FunctionSetting setting,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    Integer timeout = setting.validated();
    int effective = timeout == null ? FunctionSetting.DEFAULT_TIMEOUT : timeout;
    audit.recorded(
        ref,
        new ChangeAudit.Intent(caller, "app.function", Map.of("timeoutSeconds", effective)),
        () -> {
          store.ensureApp(ref);
          settings.set(ref, timeout);
        });
    return view(ref);
  }

  @GetMapping("/activations")
  ActivationPage list(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) String status,
      @AuthenticationPrincipal Jwt caller) {
    if (status != null && !STATUSES.contains(status)) {
      throw Problem.badRequest(
          "invalid-activation-status",
          "status must be one of "
              + String.join(", ", STATUSES)
              + " (or left out for all), not '"
              + (status.length() > 40 ? status.substring(0, 40) + "…" : status)
              + "'");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Problem.badRequest("invalid-page", "limit must be from 1 to " + MAX_LIMIT);
    }
    if (before != null && !ID.matcher(before).matches()) {
      throw Problem.badRequest(
          "invalid-page", "before must be an activation id (ac and 26 letters a-z or digits 2-7)");
    }
    AppRef ref = access.require(tenant, project, app, caller, false);
    List<ActivationStore.Activation> page = activations.list(ref, limit, before, status);
    String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
    return new ActivationPage(page, next);
  }

  @GetMapping("/activations/{id}")
  ActivationStore.Activation one(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, false);
    if (!ID.matcher(id).matches()) {
      throw Problem.notFound("Activation", id);
    }
    return activations.get(ref, id).orElseThrow(() -> Problem.notFound("Activation", id));
  }

  private FunctionView view(AppRef ref) {
    String runtime = store.running(ref).flatMap(functions::runtime).orElse(null);
    return new FunctionView(settings.timeoutSeconds(ref), runtime);
  }
}
