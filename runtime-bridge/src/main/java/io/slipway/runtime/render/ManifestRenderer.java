package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slipway.runtime.model.AppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every Kubernetes object one app's desired state consists of, in the order they must be applied
 * (namespace first). Pure: the same spec always gives equal objects.
 */
public final class ManifestRenderer {

  private final NamespaceRenderer namespace = new NamespaceRenderer();
  private final DeploymentRenderer deployment = new DeploymentRenderer();
  private final ServiceRenderer service = new ServiceRenderer();
  private final SecretRenderer secret = new SecretRenderer();
  private final QuotaRenderer quota = new QuotaRenderer();
  private final NetworkPolicyRenderer networkPolicy;
  private final IngressRenderer ingress;
  private final KnativeServiceRenderer knative = new KnativeServiceRenderer();

  public ManifestRenderer(RenderSettings settings) {
    this.networkPolicy = new NetworkPolicyRenderer(settings);
    this.ingress = new IngressRenderer(settings);
  }

  public List<HasMetadata> render(AppSpec spec) {
    return render(spec, List.of(), Optional.empty(), false);
  }

  /**
   * The objects of one revision of an app with these custom domains, in a project with this quota
   * (none: no ResourceQuota or LimitRange) that has, or has not, opted in to egress.
   */
  public List<HasMetadata> render(
      AppSpec spec, List<String> domains, Optional<ProjectQuota> projectQuota, boolean egress) {
    return render(spec, domains, projectQuota, egress, Optional.empty());
  }

  /**
   * As {@link #render(AppSpec, List, Optional, boolean)}, and when {@code knativeServing} is given,
   * the app served by Knative Serving so: a Knative Service in place of its Deployment and Service,
   * reachable by Knative's own components, its Ingress sent on to it.
   */
  public List<HasMetadata> render(
      AppSpec spec,
      List<String> domains,
      Optional<ProjectQuota> projectQuota,
      boolean egress,
      Optional<Serving> knativeServing) {
    List<HasMetadata> objects = new ArrayList<>(project(spec.ref(), projectQuota, egress));
    objects.add(
        knativeServing.isPresent()
            ? knative.allowKnative(spec.ref())
            : networkPolicy.allowRouter(spec));
    secret.render(spec).ifPresent(objects::add);
    if (knativeServing.isPresent()) {
      objects.add(knative.render(spec, knativeServing.get(), projectQuota));
      objects.add(
          KnativeServiceRenderer.servedByKnative(ingress.render(spec.ref(), domains), spec.ref()));
    } else {
      objects.add(deployment.render(spec));
      objects.add(service.render(spec));
      objects.add(ingress.render(spec.ref(), domains));
    }
    return List.copyOf(objects);
  }

  /**
   * What every workload of the app's project stands in, whatever it runs (apps, VMs): its
   * namespace, its quota (none: no ResourceQuota or LimitRange), its default-deny policies and its
   * egress policy when the project opted in. In the order they must be applied.
   */
  public List<HasMetadata> project(
      io.slipway.runtime.model.AppRef ref, Optional<ProjectQuota> projectQuota, boolean egress) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(namespace.render(ref));
    projectQuota.ifPresent(
        q -> {
          objects.add(quota.quota(ref, q));
          objects.add(quota.limits(ref, q));
        });
    objects.add(networkPolicy.defaultDeny(ref));
    objects.add(networkPolicy.defaultDenyEgress(ref));
    if (egress) {
      objects.add(networkPolicy.allowEgress(ref));
    }
    return List.copyOf(objects);
  }

  /** Lets the router's namespace reach the app's pods on {@code port}. */
  public HasMetadata allowRouter(io.slipway.runtime.model.AppRef ref, int port) {
    return networkPolicy.allowRouter(ref, port);
  }

  /** The opted-in project's egress policy, in its namespace with these labels. */
  public HasMetadata allowEgress(String namespace, java.util.Map<String, String> labels) {
    return networkPolicy.allowEgress(namespace, labels);
  }

  /** The app's Ingress alone, for the hosts it answers on. */
  public HasMetadata ingress(io.slipway.runtime.model.AppRef ref, List<String> domains) {
    return ingress.render(ref, domains);
  }

  /** The app's Ingress alone, sent on to its Knative Service. */
  public HasMetadata knativeIngress(io.slipway.runtime.model.AppRef ref, List<String> domains) {
    return KnativeServiceRenderer.servedByKnative(ingress.render(ref, domains), ref);
  }
}
