package io.slipway.runtime.admission;

import io.slipway.governance.policy.ImagePolicy;
import java.util.List;
import org.springframework.stereotype.Service;

/** The floor, tenants' policies and the effective policy ({@link ImagePolicy#tighten}). */
@Service
class ImagePolicies {

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

  void saveFloor(ImagePolicy floor, String by) {
    store.save(PolicyStore.FLOOR, floor, by);
  }

  void saveTenant(String tenant, ImagePolicy policy, String by) {
    store.save(tenant, policy, by);
  }
}
