package io.slipway.runtime.admission;

import io.slipway.governance.policy.ImagePolicy;
import io.slipway.runtime.model.AppRef;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The floor, tenants' and projects' policies, and the effective policy: the floor tightened by the
 * tenant's, tightened by the project's ({@link ImagePolicy#tighten}).
 */
@Service
public class ImagePolicies {

  /** A tenant that has set nothing tightens nothing. */
  static final ImagePolicy NO_TIGHTENING = ImagePolicy.PERMISSIVE;

  private final PolicyStore store;
  private final ImagePolicy configuredFloor;

  ImagePolicies(PolicyStore store, AdmissionProperties properties) {
    this.store = store;
    AdmissionProperties.Floor f = properties.floor();
    this.configuredFloor =
        new ImagePolicy(
            f.requireSigned(),
            f.allowedRegistries(),
            f.maxSeverity(),
            f.tenantWaiversAllowed(),
            List.of());
  }

  /** The admin's stored floor, else the configured one. */
  ImagePolicy floor() {
    return store.findFloor().orElse(configuredFloor);
  }

  /** Tenant {@code tenantId}'s own policy ({@code name}: its name now). */
  ImagePolicy tenant(String tenantId, String name) {
    return store.findTenant(tenantId, name).orElse(NO_TIGHTENING);
  }

  ImagePolicy effective(String tenantId, String name) {
    return ImagePolicy.tighten(floor(), tenant(tenantId, name));
  }

  ImagePolicy project(String projectId) {
    return store.findProject(projectId).orElse(NO_TIGHTENING);
  }

  /** What an app's images must pass: its tenant's effective policy and its project's. */
  ImagePolicy effective(AppRef app) {
    return ImagePolicy.tighten(effective(app.tenantId(), app.tenant()), project(app.projectId()));
  }

  void saveFloor(ImagePolicy floor, String by) {
    store.saveFloor(floor, by);
  }

  void saveTenant(String tenantId, String name, ImagePolicy policy, String by) {
    store.saveTenant(tenantId, name, policy, by);
  }

  void saveProject(String tenantId, String projectId, ImagePolicy policy, String by) {
    store.saveProject(tenantId, projectId, policy, by);
  }

  /** A deleted project's policy goes with it: a project made again later starts without one. */
  public void forgetProject(String projectId) {
    store.forgetProject(projectId);
  }

  /**
   * A deleted tenant's policy and its projects' go with it: a tenant made again under its name
   * starts without them.
   */
  public void forgetTenant(String tenantId) {
    store.forgetTenant(tenantId);
  }
}
