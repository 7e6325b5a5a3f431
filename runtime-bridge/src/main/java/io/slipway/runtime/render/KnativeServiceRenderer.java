package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app that scales to zero, or a function, as a Knative Serving {@code Service}
 * (serving.knative.dev/v1), rendered as a generic resource (fabric8 has no Knative model). One per
 * app, named by the app's id as its Kubernetes Service is; each deploy replaces its template, which
 * Knative turns into a new revision named as the revision's Deployment would be. The template holds
 * the very pod {@link DeploymentRenderer#template} renders, with the two changes Knative's webhook
 * requires: {@code PORT} is Knative's to set (from the container port), and the port's name is
 * {@code http1}. Pure.
 *
 * <p>The Knative Service is cluster-local: Knative publishes no host of its own, and the platform's
 * Ingress stays the one way in ({@link #servedByKnative}).
 */
public final class KnativeServiceRenderer {

  public static final String GROUP = "serving.knative.dev";
  public static final String API_VERSION = GROUP + "/v1";
  public static final String KIND = "Service";

  /** Where fabric8's generic client finds Knative Services. */
  public static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup(GROUP)
          .withVersion("v1")
          .withKind(KIND)
          .withPlural("services")
          .withNamespaced(true)
          .build();

  public static final String VISIBILITY = "networking.knative.dev/visibility";
  public static final String CLUSTER_LOCAL = "cluster-local";
  public static final String MIN_SCALE = "autoscaling.knative.dev/min-scale";
  public static final String MAX_SCALE = "autoscaling.knative.dev/max-scale";
  public static final String TARGET = "autoscaling.knative.dev/target";
  public static final String WINDOW = "autoscaling.knative.dev/window";
  public static final String RETENTION =
      "autoscaling.knative.dev/scale-to-zero-pod-retention-period";

  /**
   * The Host the platform's Ingress sends a Knative app's requests with: Knative's local gateway
   * routes by the Knative Service's cluster-local host, not by the app's public one.
   */
  public static final String UPSTREAM_HOST = "nginx.ingress.kubernetes.io/upstream-vhost";

  /** Knative's stable window is at most an hour; a longer idle period waits the rest out. */
  static final Duration MAX_WINDOW = Duration.ofHours(1);

  /** Where Knative's activator and autoscaler run, which reach (and scrape) its pods. */
  static final String KNATIVE_NAMESPACE = "knative-serving";

  /** Where Kourier, Knative's default gateway, runs: it sends requests to pods at scale. */
  static final String GATEWAY_NAMESPACE = "kourier-system";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final DeploymentRenderer pods = new DeploymentRenderer();

  /**
   * The Knative Service of this revision of an app served so, with at most as many replicas as its
   * project's quota holds.
   */
  public GenericKubernetesResource render(
      AppSpec spec, Serving serving, Optional<ProjectQuota> quota) {
    PodTemplateSpec template = pods.template(spec);
    Map<String, Object> templateMetadata = new LinkedHashMap<>();
    templateMetadata.put("name", DeploymentRenderer.name(spec.ref(), spec.revision()));
    templateMetadata.put("labels", template.getMetadata().getLabels());
    templateMetadata.put("annotations", annotations(spec, serving, quota));
    Map<String, Object> templateSpec = new LinkedHashMap<>(asMap(knativePod(template.getSpec())));
    if (serving.functionTimeoutSeconds() != null) {
      // a function's instance runs one invocation at a time, for at most its timeout
      templateSpec.put("containerConcurrency", 1);
      templateSpec.put("timeoutSeconds", serving.functionTimeoutSeconds());
    }
    Map<String, String> labels = new LinkedHashMap<>(Labels.app(spec.ref()));
    labels.put(VISIBILITY, CLUSTER_LOCAL);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(KIND)
        .withNewMetadata()
        .withName(name(spec.ref()))
        .withNamespace(spec.ref().namespace())
        .withLabels(labels)
        .endMetadata()
        .addToAdditionalProperties(
            "spec", Map.of("template", Map.of("metadata", templateMetadata, "spec", templateSpec)))
        .build();
  }

  /** The name of an app's Knative Service (and of the Kubernetes Service Knative makes for it). */
  public static String name(AppRef ref) {
    return ref.appId();
  }

  /**
   * The object when it is a Knative Service: what an API server answers under Knative's group is,
   * but fabric8's mock API server, which the tests run against, answers a core Service of the same
   * name there too.
   */
  public static Optional<GenericKubernetesResource> knative(GenericKubernetesResource found) {
    return Optional.ofNullable(found).filter(f -> API_VERSION.equals(f.getApiVersion()));
  }

  /** The host Knative's local gateway answers for an app's Knative Service. */
  public static String clusterLocalHost(AppRef ref) {
    return name(ref) + "." + ref.namespace() + ".svc.cluster.local";
  }

  /**
   * The app's Ingress, sent on to the Kubernetes Service Knative makes under the Knative Service's
   * name (an ExternalName to its local gateway), with the Host that gateway routes by.
   */
  public static Ingress servedByKnative(Ingress ingress, AppRef ref) {
    return new IngressBuilder(ingress)
        .editMetadata()
        .addToAnnotations(UPSTREAM_HOST, clusterLocalHost(ref))
        .endMetadata()
        .build();
  }

  /**
   * Lets Knative's activator, autoscaler and gateway reach the app's pods: with Knative they, not
   * the router, send its requests (to Knative's queue-proxy beside the app, on its own ports).
   */
  public NetworkPolicy allowKnative(AppRef ref) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(ref.appId() + "-allow-knative")
        .withNamespace(ref.namespace())
        .withLabels(Labels.app(ref))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Labels.selector(ref))
        .endPodSelector()
        .withPolicyTypes(List.of("Ingress"))
        .addNewIngress()
        .withFrom(namespace(KNATIVE_NAMESPACE), namespace(GATEWAY_NAMESPACE))
        .endIngress()
        .endSpec()
        .build();
  }

  private static NetworkPolicyPeer namespace(String name) {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", name)
        .endNamespaceSelector()
        .build();
  }

  private static Map<String, String> annotations(
      AppSpec spec, Serving serving, Optional<ProjectQuota> quota) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(MIN_SCALE, "0");
    int wanted = serving.scale() != null ? serving.scale().max() : Math.max(1, spec.replicas());
    annotations.put(MAX_SCALE, Integer.toString(Math.min(wanted, quotaReplicas(spec, quota))));
    if (serving.scale() != null) {
      annotations.put(TARGET, Integer.toString(serving.scale().targetConcurrency()));
    }
    if (serving.idleAfter() != null) {
      Duration window =
          serving.idleAfter().compareTo(MAX_WINDOW) > 0 ? MAX_WINDOW : serving.idleAfter();
      annotations.put(WINDOW, window.toSeconds() + "s");
      Duration rest = serving.idleAfter().minus(window);
      if (!rest.isZero()) {
        annotations.put(RETENTION, rest.toSeconds() + "s");
      }
    }
    return annotations;
  }

  /**
   * How many replicas of this size the project's quota holds, at least 1: Knative reads a max-scale
   * of 0 as unbounded, and a pod past the quota is refused by its ResourceQuota anyway.
   */
  static int quotaReplicas(AppSpec spec, Optional<ProjectQuota> quota) {
    long most = Integer.MAX_VALUE;
    if (quota.isPresent()) {
      ProjectQuota q = quota.get();
      if (q.replicas() != null) {
        most = Math.min(most, q.replicas());
      }
      if (q.cpuMillicores() != null) {
        most = Math.min(most, q.cpuMillicores() / spec.cpuMillicores());
      }
      if (q.memoryMib() != null) {
        most = Math.min(most, q.memoryMib() / spec.memoryMib());
      }
    }
    return (int) Math.max(1, most);
  }

  private static PodSpec knativePod(PodSpec pod) {
    PodSpecBuilder knative = new PodSpecBuilder(pod);
    knative
        .editFirstContainer()
        .withEnv(
            pod.getContainers().getFirst().getEnv().stream()
                .filter(e -> !e.getName().equals(AppSpec.PORT_VARIABLE))
                .toList())
        .withPorts(
            pod.getContainers().getFirst().getPorts().stream()
                .map(p -> new ContainerPort(p.getContainerPort(), null, null, "http1", "TCP"))
                .toList())
        .endContainer();
    return knative.build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(PodSpec pod) {
    return JSON.convertValue(pod, Map.class);
  }
}
