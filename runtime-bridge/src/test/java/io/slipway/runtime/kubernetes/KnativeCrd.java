package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slipway.runtime.render.KnativeServiceRenderer;

/**
 * Knative Serving's {@code services.serving.knative.dev} CRD, for fabric8's mock API server in CRUD
 * mode: once it holds the CRD, the mock serves the group's discovery and its objects as a cluster
 * with Knative installed does (no Knative controller acts on them).
 */
public final class KnativeCrd {

  private KnativeCrd() {}

  /** Installs the CRD through {@code client}. */
  public static void install(KubernetesClient client) {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("services." + KnativeServiceRenderer.GROUP)
                .endMetadata()
                .withNewSpec()
                .withGroup(KnativeServiceRenderer.GROUP)
                .withScope("Namespaced")
                .withNewNames()
                .withKind(KnativeServiceRenderer.KIND)
                .withPlural("services")
                .withSingular("service")
                .withShortNames("ksvc")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build())
        .create();
  }
}
