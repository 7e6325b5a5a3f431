package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.util.Optional;

/**
 * A revision's secrets as an Opaque Secret ({@code <app id>-v<revision>-env}), which its pods read
 * with {@code secretKeyRef}; none when the revision has no secrets. One Secret per revision, so a
 * new revision's values never reach the old one's pods.
 */
public final class SecretRenderer {

  public static String name(AppRef ref, int revision) {
    return ref.appId() + "-v" + revision + "-env";
  }

  public Optional<Secret> render(AppSpec spec) {
    if (spec.secrets().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SecretBuilder()
            .withNewMetadata()
            .withName(name(spec.ref(), spec.revision()))
            .withNamespace(spec.ref().namespace())
            .withLabels(Labels.app(spec.ref()))
            .addToLabels(Labels.REVISION, Integer.toString(spec.revision()))
            .endMetadata()
            .withType("Opaque")
            .withStringData(spec.secrets())
            .withImmutable(true)
            .build());
  }
}
