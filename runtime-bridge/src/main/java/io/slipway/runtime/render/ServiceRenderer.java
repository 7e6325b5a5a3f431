package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.slipway.runtime.model.AppSpec;

/** A ClusterIP Service on port 80 in front of an app's pods, whatever their revision. */
public final class ServiceRenderer {

  public static final int SERVICE_PORT = 80;

  public Service render(AppSpec spec) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(spec.ref().appId())
        .withNamespace(spec.ref().namespace())
        .withLabels(Labels.app(spec.ref()))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(spec.ref()))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(SERVICE_PORT)
        .withTargetPort(new IntOrString(spec.port()))
        .endPort()
        .endSpec()
        .build();
  }
}
