package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * An Ingress of the configured class routing the app's host, and each of its custom domains, to its
 * Service.
 */
public final class IngressRenderer {

  private final RenderSettings settings;

  public IngressRenderer(RenderSettings settings) {
    this.settings = settings;
  }

  public Ingress render(AppSpec spec) {
    return render(spec.ref(), List.of());
  }

  /** The Ingress with one rule for the app's own host and one per custom domain. */
  public Ingress render(AppRef ref, List<String> domains) {
    List<String> hosts = new ArrayList<>(List.of(settings.host(ref)));
    hosts.addAll(domains);
    return new IngressBuilder()
        .withNewMetadata()
        .withName(ref.appId())
        .withNamespace(ref.namespace())
        .withLabels(Labels.app(ref))
        .endMetadata()
        .withNewSpec()
        .withIngressClassName(settings.ingressClass())
        .withRules(hosts.stream().map(host -> rule(ref, host)).toList())
        .endSpec()
        .build();
  }

  private static IngressRule rule(AppRef ref, String host) {
    return new IngressRuleBuilder()
        .withHost(host)
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(ref.appId())
        .withNewPort()
        .withNumber(ServiceRenderer.SERVICE_PORT)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .build();
  }
}
