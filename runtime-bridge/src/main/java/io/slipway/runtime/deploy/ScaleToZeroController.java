package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app's scale-to-zero setting (issue 22): {@code GET} for a viewer, {@code PUT} for a developer
 * or more, audited as {@code app.scale-to-zero} with the setting; anyone else 404.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/scale-to-zero")
class ScaleToZeroController {

  private final AppAccess access;
  private final ZeroStore zero;
  private final ScaleToZero scaling;
  private final DeploymentStore store;
  private final ChangeAudit audit;

  ScaleToZeroController(
      AppAccess access,
      ZeroStore zero,
      ScaleToZero scaling,
      DeploymentStore store,
      ChangeAudit audit) {
    this.access = access;
    this.zero = zero;
    this.scaling = scaling;
    this.store = store;
    this.audit = audit;
  }

  /**
   * The setting as stored: {@code enabled}, {@code idleAfter} and {@code pausedFor} (null when not
   * enabled); {@code atZero}, whether the app's instances are paused or stopped now for being idle,
   * and {@code stage}: {@code awake}, {@code paused} or {@code stopped}; {@code supported}, whether
   * this platform's runtime can scale apps to zero at all (the Kubernetes driver cannot yet).
   */
  record ScaleToZeroView(
      boolean enabled,
      String idleAfter,
      String pausedFor,
      boolean atZero,
      String stage,
      boolean supported) {}

  @GetMapping
  ScaleToZeroView get(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return view(access.require(tenant, project, app, caller, false));
  }

  /**
   * Opts the app in with its idle period, or out; an app at zero that opts out is woken first. 400
   * {@code invalid-scale-to-zero} for a setting out of bounds, 409 {@code
   * scale-to-zero-unsupported} on a driver that cannot stop and keep instances; 409 {@code
   * quota-exceeded} when the quota no longer lets the app at zero run, {@code not-woken} when it
   * did not come up (both leave it at zero, opted in).
   */
  @PutMapping
  ScaleToZeroView put(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody ScaleToZeroSetting setting,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    ScaleToZeroSetting.Periods periods = setting.validated();
    if (!scaling.supported()) {
      throw Problem.conflict(
          "scale-to-zero-unsupported",
          "This platform's runtime cannot scale apps to zero yet (the podman driver can)");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("enabled", periods != null);
    if (periods != null) {
      details.put("idleAfter", ScaleToZeroSetting.format(periods.idleAfter()));
      details.put("pausedFor", ScaleToZeroSetting.format(periods.pausedFor()));
    }
    ChangeAudit.Intent intent = new ChangeAudit.Intent(caller, "app.scale-to-zero", details);
    if (periods == null
        && zero.zeroRevision(ref).isPresent()
        && scaling.wakeNow(ref).isEmpty()
        && zero.zeroRevision(ref).isPresent()) {
      throw Problem.conflict(
          "not-woken",
          "The app could not be woken: its instances did not start or get healthy (its events say"
              + " why). It stays at zero and opted in; deploy a fix, or try again");
    }
    audit.recorded(
        ref,
        intent,
        () -> {
          store.ensureApp(ref);
          if (periods == null) {
            zero.optOut(ref);
          } else {
            zero.optIn(ref, periods);
          }
        });
    return view(ref);
  }

  private ScaleToZeroView view(AppRef ref) {
    Optional<ScaleToZeroSetting.Periods> periods = zero.periods(ref);
    ZeroStore.Stage stage = zero.stage(ref);
    return new ScaleToZeroView(
        periods.isPresent(),
        periods.map(p -> ScaleToZeroSetting.format(p.idleAfter())).orElse(null),
        periods.map(p -> ScaleToZeroSetting.format(p.pausedFor())).orElse(null),
        stage != ZeroStore.Stage.AWAKE,
        stage.name().toLowerCase(Locale.ROOT),
        scaling.supported());
  }
}
