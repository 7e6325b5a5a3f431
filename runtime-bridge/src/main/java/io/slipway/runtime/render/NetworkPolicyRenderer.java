package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.util.List;

/**
 * Network policies: one per project that denies all ingress to its pods, and one per app that lets
 * only the router's namespace in, on the app's port.
 */
public final class NetworkPolicyRenderer {

  public static final String DEFAULT_DENY = "default-deny-ingress";

  private final RenderSettings settings;

  public NetworkPolicyRenderer(RenderSettings settings) {
    this.settings = settings;
  }

  public NetworkPolicy defaultDeny(AppRef ref) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(DEFAULT_DENY)
        .withNamespace(ref.namespace())
        .withLabels(Labels.project(ref))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes(List.of("Ingress"))
        .endSpec()
        .build();
  }

  public NetworkPolicy allowRouter(AppSpec spec) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(spec.ref().appId() + "-allow-router")
        .withNamespace(spec.ref().namespace())
        .withLabels(Labels.app(spec.ref()))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Labels.selector(spec.ref()))
        .endPodSelector()
        .withPolicyTypes(List.of("Ingress"))
        .addNewIngress()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addToMatchLabels(settings.routerNamespaceLabel(), settings.routerNamespaceValue())
        .endNamespaceSelector()
        .endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(spec.port()))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }
}
