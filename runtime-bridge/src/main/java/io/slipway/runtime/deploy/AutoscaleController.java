package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import java.util.LinkedHashMap;
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
 * An app's autoscaling setting (issue 22): {@code GET} for a viewer, {@code PUT} for a developer or
 * more, audited as {@code app.autoscaling} with the setting; anyone else 404.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/autoscaling")
class AutoscaleController {

  private final AppAccess access;
  private final AutoscaleStore settings;
  private final Autoscaler autoscaler;
  private final DeploymentStore store;
  private final ChangeAudit audit;

  AutoscaleController(
      AppAccess access,
      AutoscaleStore settings,
      Autoscaler autoscaler,
      DeploymentStore store,
      ChangeAudit audit) {
    this.access = access;
    this.settings = settings;
    this.autoscaler = autoscaler;
    this.store = store;
    this.audit = audit;
  }

  /**
   * The setting as stored ({@code min}, {@code max}, {@code targetConcurrency} null when not
   * enabled) and {@code supported}: whether this platform's router lets apps autoscale (the
   * Kubernetes driver's cannot yet).
   */
  record AutoscaleView(
      boolean enabled, Integer min, Integer max, Integer targetConcurrency, boolean supported) {}

  @GetMapping
  AutoscaleView get(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return view(access.require(tenant, project, app, caller, false));
  }

  /**
   * Opts the app in with its bounds, or out (its replicas stay as they are). 400 {@code
   * invalid-autoscaling} for a setting out of bounds, 409 {@code autoscaling-unsupported} where the
   * router cannot count requests in flight.
   */
  @PutMapping
  AutoscaleView put(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody AutoscaleSetting setting,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    AutoscaleSetting.Bounds bounds = setting.validated();
    if (!autoscaler.supported()) {
      throw Problem.conflict(
          "autoscaling-unsupported",
          "This platform's router cannot count an app's requests in flight, so apps cannot"
              + " autoscale here yet (Caddy, with the podman driver, can)");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("enabled", bounds != null);
    if (bounds != null) {
      details.put("min", bounds.min());
      details.put("max", bounds.max());
      details.put("targetConcurrency", bounds.target());
    }
    audit.recorded(
        ref,
        new ChangeAudit.Intent(caller, "app.autoscaling", details),
        () -> {
          store.ensureApp(ref);
          settings.set(ref, bounds);
        });
    return view(ref);
  }

  private AutoscaleView view(AppRef ref) {
    Optional<AutoscaleSetting.Bounds> bounds = settings.bounds(ref);
    return new AutoscaleView(
        bounds.isPresent(),
        bounds.map(AutoscaleSetting.Bounds::min).orElse(null),
        bounds.map(AutoscaleSetting.Bounds::max).orElse(null),
        bounds.map(AutoscaleSetting.Bounds::target).orElse(null),
        autoscaler.supported());
  }
}
