package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slipway.runtime.model.AppSpec;
import java.util.List;

/**
 * Every Kubernetes object one app's desired state consists of, in the order they must be applied
 * (namespace first). Pure: the same spec always gives equal objects.
 */
public final class ManifestRenderer {

  private final NamespaceRenderer namespace = new NamespaceRenderer();
  private final DeploymentRenderer deployment = new DeploymentRenderer();
  private final ServiceRenderer service = new ServiceRenderer();
  private final NetworkPolicyRenderer networkPolicy;
  private final IngressRenderer ingress;

  public ManifestRenderer(RenderSettings settings) {
    this.networkPolicy = new NetworkPolicyRenderer(settings);
    this.ingress = new IngressRenderer(settings);
  }

  public List<HasMetadata> render(AppSpec spec) {
    return List.of(
        namespace.render(spec.ref()),
        networkPolicy.defaultDeny(spec.ref()),
        networkPolicy.allowRouter(spec),
        deployment.render(spec),
        service.render(spec),
        ingress.render(spec));
  }
}
