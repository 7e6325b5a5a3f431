package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.slipway.runtime.model.AppSpec;

/** An Ingress of the configured class routing the app's host to its Service. */
public final class IngressRenderer {

  private final RenderSettings settings;

  public IngressRenderer(RenderSettings settings) {
    this.settings = settings;
  }

  public Ingress render(AppSpec spec) {
    return new IngressBuilder()
        .withNewMetadata()
        .withName(spec.ref().app())
        .withNamespace(spec.ref().namespace())
        .withLabels(Labels.app(spec.ref()))
        .endMetadata()
        .withNewSpec()
        .withIngressClassName(settings.ingressClass())
        .addNewRule()
        .withHost(settings.host(spec.ref()))
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(spec.ref().app())
        .withNewPort()
        .withNumber(ServiceRenderer.SERVICE_PORT)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }
}
