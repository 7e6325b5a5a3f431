package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.slipway.runtime.model.AppRef;

/** A project's namespace, enforcing the {@code restricted} Pod Security Standard. */
public final class NamespaceRenderer {

  public Namespace render(AppRef ref) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(ref.namespace())
        .withLabels(Labels.project(ref))
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
        .endMetadata()
        .build();
  }
}
