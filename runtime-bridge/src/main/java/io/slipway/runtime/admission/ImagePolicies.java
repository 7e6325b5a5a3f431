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
    return store.find(PolicyStore.FLOOR).orElse(configuredFloor);
  }

  ImagePolicy tenant(String tenant) {
    return store.find(tenant).orElse(NO_TIGHTENING);
  }

  ImagePolicy effective(String tenant) {
    return ImagePolicy.tighten(floor(), tenant(tenant));
  }

  ImagePolicy project(String projectId) {
    return store.findProject(projectId).orElse(NO_TIGHTENING);
  }

  /** What an app's images must pass: its tenant's effective policy and its project's. */
  ImagePolicy effective(AppRef app) {
    return ImagePolicy.tighten(effective(app.tenant()), project(app.projectId()));
  }

  void saveProject(String tenantId, String projectId, ImagePolicy policy, String by) {
    store.saveProject(tenantId, projectId, policy, by);
  }

  /** A deleted project's policy goes with it: a project made again later starts without one. */
  public void forgetProject(String projectId) {
    store.forgetProject(projectId);
  }

  /** A deleted tenant's projects' policies go with it. */
  public void forgetTenant(String tenantId) {
    store.forgetTenant(tenantId);
  }

  void saveFloor(ImagePolicy floor, String by) {
    store.save(PolicyStore.FLOOR, floor, by);
  }

  void saveTenant(String tenant, ImagePolicy policy, String by) {
    store.save(tenant, policy, by);
  }
}
