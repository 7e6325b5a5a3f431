package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.KnativeServiceRenderer;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.router.Router;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The router on Kubernetes: each app's Ingress, one rule per host (its own and its custom domains)
 * to its Service. The Service sends traffic only to Ready pods, so the upstreams the bridge passes
 * are not needed here; routing replaces the Ingress's rules, unrouting deletes it.
 */
public final class IngressRouter implements Router {

  private final KubernetesClient client;
  private final ManifestRenderer renderer;
  private final RenderSettings settings;
  private final BooleanSupplier knative;

  /** A router that looks for an app's Knative Service wherever the API server may serve one. */
  public IngressRouter(
      KubernetesClient client, ManifestRenderer renderer, RenderSettings settings) {
    this(client, renderer, settings, () -> true);
  }

  /** A router that looks for an app's Knative Service only while {@code knative} says it runs. */
  public IngressRouter(
      KubernetesClient client,
      ManifestRenderer renderer,
      RenderSettings settings,
      BooleanSupplier knative) {
    this.client = client;
    this.renderer = renderer;
    this.settings = settings;
    this.knative = knative;
  }

  @Override
  public void route(AppRef ref, List<String> hosts, List<String> upstreams) {
    String own = settings.host(ref);
    List<String> domains = hosts.stream().filter(h -> !h.equals(own)).toList();
    client.resource(ingress(ref, domains)).createOr(NonDeletingOperation::update);
  }

  /**
   * The app's Ingress: to its Service, or on to its Knative Service where Knative serves it (a
   * Knative Service of its name exists; none can where Knative is not installed).
   */
  private Ingress ingress(AppRef ref, List<String> domains) {
    return (Ingress)
        (servedByKnative(ref)
            ? renderer.knativeIngress(ref, domains)
            : renderer.ingress(ref, domains));
  }

  private boolean servedByKnative(AppRef ref) {
    if (!knative.getAsBoolean()) {
      return false;
    }
    try {
      return KnativeServiceRenderer.knative(
              client
                  .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
                  .inNamespace(ref.namespace())
                  .withName(KnativeServiceRenderer.name(ref))
                  .get())
          .isPresent();
    } catch (KubernetesClientException e) {
      // not allowed to read them (RBAC without Knative's group): none is the bridge's
      return false;
    }
  }

  /**
   * Keeps the app's Ingress, to its Service, marked with why the app is parked ({@link
   * #PARKED_ANNOTATION}): the Service has no Ready pod (or no longer exists), so the Ingress
   * controller answers its own 503, never a 404 or another app. The router's own pages, with the
   * app's link, are Caddy's alone. An app never deployed has no namespace yet: nothing is made for
   * it, and the controller answers 404.
   */
  @Override
  public void park(AppRef ref, List<String> hosts, Parked why) {
    if (client.namespaces().withName(ref.namespace()).get() == null) {
      return;
    }
    String own = settings.host(ref);
    List<String> domains = hosts.stream().filter(h -> !h.equals(own)).toList();
    Ingress ingress = ingress(ref, domains);
    java.util.Map<String, String> annotations =
        new java.util.LinkedHashMap<>(
            ingress.getMetadata().getAnnotations() == null
                ? java.util.Map.of()
                : ingress.getMetadata().getAnnotations());
    annotations.put(PARKED_ANNOTATION, parkedValue(why));
    ingress.getMetadata().setAnnotations(annotations);
    client.resource(ingress).createOr(NonDeletingOperation::update);
  }

  /** The annotation on a parked app's Ingress naming why, e.g. {@code stopped}. */
  public static final String PARKED_ANNOTATION = "slipway.io/parked";

  static String parkedValue(Parked why) {
    return why.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  @Override
  public void unroute(AppRef ref) {
    client.network().v1().ingresses().inNamespace(ref.namespace()).withName(ref.appId()).delete();
  }

  @Override
  public Set<AppRef> routed() {
    Set<AppRef> apps = new HashSet<>();
    for (Ingress ingress :
        client
            .network()
            .v1()
            .ingresses()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.SLIPWAY)
            .list()
            .getItems()) {
      Labels.owner(ingress.getMetadata().getLabels()).ifPresent(apps::add);
    }
    return apps;
  }
}
