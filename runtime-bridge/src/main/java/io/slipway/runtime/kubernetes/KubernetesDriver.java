package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.driver.ScalesItselfToZero;
import io.slipway.runtime.driver.ServingConditions;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.DeploymentRenderer;
import io.slipway.runtime.render.KnativeServiceRenderer;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.NetworkPolicyRenderer;
import io.slipway.runtime.render.ProjectQuota;
import io.slipway.runtime.render.PullSecretRenderer;
import io.slipway.runtime.render.SecretRenderer;
import io.slipway.runtime.render.ServiceRenderer;
import io.slipway.runtime.render.Serving;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs apps on Kubernetes: creates the rendered objects, or replaces what exists with them (so a
 * second apply of the same objects is a no-op and never a duplicate), one Deployment (and, with
 * secrets, one Secret) per revision; the project's quota as ResourceQuota and LimitRange; the app's
 * custom domains as rules of its Ingress; the project's image pull Secret, which every pod names.
 */
public final class KubernetesDriver
    implements RuntimeDriver, ServingConditions, ScalesItselfToZero {

  /** What the objects depend on besides the spec. */
  public interface Context {

    /** The app's custom domains. */
    List<String> domains(AppRef ref);

    /** The quota of the app's project, when known. */
    Optional<ProjectQuota> quota(AppRef ref);

    /** Whether the project (by id) opted in to reach the outside. */
    default boolean egress(String projectId) {
      return false;
    }

    /**
     * What the app's settings ask of Knative Serving (scale to zero, autoscaling, function): used
     * only where Knative Serving is on.
     */
    default Serving serving(AppSpec spec) {
      return Serving.NONE;
    }

    /**
     * A new image pull credential for the namespace of {@code ref}'s project, pulling its tenant's
     * images only; asked for only while that namespace has no pull Secret. Empty where the registry
     * needs no login.
     */
    default Optional<PullSecretRenderer.PullLogin> pullLogin(AppRef ref) {
      return Optional.empty();
    }

    /** No domains, no quota. */
    Context NONE =
        new Context() {
          @Override
          public List<String> domains(AppRef ref) {
            return List.of();
          }

          @Override
          public Optional<ProjectQuota> quota(AppRef ref) {
            return Optional.empty();
          }
        };
  }

  private final KubernetesClient client;
  private final ManifestRenderer renderer;
  private final Context context;
  private final KnativeDiscovery knative;
  private final PullSecretRenderer pullSecret = new PullSecretRenderer();

  public KubernetesDriver(KubernetesClient client, ManifestRenderer renderer) {
    this(client, renderer, Context.NONE);
  }

  public KubernetesDriver(KubernetesClient client, ManifestRenderer renderer, Context context) {
    this(client, renderer, context, KnativeMode.AUTO, Clock.systemUTC());
  }

  /** A driver that serves apps through Knative Serving as {@code knative} says. */
  public KubernetesDriver(
      KubernetesClient client,
      ManifestRenderer renderer,
      Context context,
      KnativeMode knative,
      Clock clock) {
    this.client = client;
    this.renderer = renderer;
    this.context = context;
    this.knative = new KnativeDiscovery(client, knative, clock);
  }

  /** The objects {@link #apply} would make for this spec now. */
  public List<HasMetadata> desired(AppSpec spec) {
    return renderer.render(
        spec,
        context.domains(spec.ref()),
        context.quota(spec.ref()),
        context.egress(spec.ref().projectId()),
        knativeServing(spec));
  }

  /** How Knative Serving runs the app, when it does: it is on here and the app asks for it. */
  private Optional<Serving> knativeServing(AppSpec spec) {
    Serving serving = context.serving(spec);
    return serving.knative() && knative.available() ? Optional.of(serving) : Optional.empty();
  }

  /** Whether Knative Serving runs the apps that ask for it here. */
  public boolean knativeAvailable() {
    return knative.available();
  }

  /** Where Knative Serving is on: it scales the apps that opt in to zero. */
  @Override
  public boolean scalesToZero() {
    return knativeAvailable();
  }

  /**
   * Applies the app's objects. An app that moves between a Deployment and a Knative Service loses
   * the other kind's objects first: the Knative Service's Route makes a Service under the app's
   * name, which the app's own Service must no longer hold.
   */
  @Override
  public void apply(AppSpec spec) {
    List<HasMetadata> objects = pullingWithProjectSecret(spec.ref(), desired(spec));
    boolean served = objects.stream().anyMatch(GenericKubernetesResource.class::isInstance);
    if (served) {
      removeDeployments(spec.ref());
    } else if (knative.available()) {
      removeKnative(spec.ref());
    }
    for (HasMetadata object : objects) {
      // Create, or replace what exists with the desired form (fabric8 keeps a Service's cluster
      // IP): a second call changes nothing. Server-side apply would be the idiom on a real
      // cluster, but fabric8's mock API server, which the tests run against, does not take it.
      if (object instanceof GenericKubernetesResource service) {
        knativeServices().resource(service).createOr(NonDeletingOperation::update);
      } else {
        client.resource(object).createOr(NonDeletingOperation::update);
      }
    }
    if (!context.egress(spec.ref().projectId())) {
      egressPolicy(spec.ref().namespace()).delete();
    }
  }

  /**
   * Applies what every workload of the app's project stands in (its namespace, quota, default-deny
   * and egress policies), for a workload that is no app's revision: a VM.
   */
  public void ensureProject(AppRef ref) {
    for (HasMetadata object :
        renderer.project(ref, context.quota(ref), context.egress(ref.projectId()))) {
      client.resource(object).createOr(NonDeletingOperation::update);
    }
    if (!context.egress(ref.projectId())) {
      egressPolicy(ref.namespace()).delete();
    }
  }

  /** Lets the router reach the app's pods on {@code port}, or no longer when empty. */
  public void allowRouter(AppRef ref, java.util.OptionalInt port) {
    if (port.isPresent()) {
      client
          .resource(renderer.allowRouter(ref, port.getAsInt()))
          .createOr(NonDeletingOperation::update);
    } else {
      client
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(ref.namespace())
          .withName(ref.appId() + "-allow-router")
          .delete();
    }
  }

  /**
   * The objects with their pods pulling with the project's pull Secret, and that Secret (after the
   * namespace) when the namespace has none yet: made once per project, it is kept by later deploys,
   * so pods being rescheduled never meet a replaced password; deleting it has the next deploy issue
   * a new one (rotation). Unchanged when the registry needs no login.
   */
  private List<HasMetadata> pullingWithProjectSecret(AppRef ref, List<HasMetadata> objects) {
    if (client.secrets().inNamespace(ref.namespace()).withName(PullSecretRenderer.NAME).get()
        != null) {
      return PullSecretRenderer.pulling(objects);
    }
    Optional<PullSecretRenderer.PullLogin> login = context.pullLogin(ref);
    if (login.isEmpty()) {
      return objects;
    }
    List<HasMetadata> pulling = new ArrayList<>(PullSecretRenderer.pulling(objects));
    pulling.add(1, pullSecret.render(ref, login.get()));
    return pulling;
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      knativeServices() {
    return client.genericKubernetesResources(KnativeServiceRenderer.CONTEXT);
  }

  /** The app's Deployments, its own Service (not one Knative owns) and its router policy. */
  private void removeDeployments(AppRef ref) {
    String namespace = ref.namespace();
    client.apps().deployments().inNamespace(namespace).withLabels(Labels.selector(ref)).delete();
    Service own = client.services().inNamespace(namespace).withName(ref.appId()).get();
    // a core Service the app made, not the one Knative's Route makes (fabric8's mock API server
    // also answers a Knative Service here)
    if (own != null
        && "v1".equals(own.getApiVersion())
        && own.getMetadata().getOwnerReferences().isEmpty()) {
      client.services().inNamespace(namespace).withName(ref.appId()).delete();
    }
    client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(namespace)
        .withName(ref.appId() + "-allow-router")
        .delete();
  }

  /** The app's Knative Service (Knative deletes its revisions and Route with it). */
  private void removeKnative(AppRef ref) {
    String namespace = ref.namespace();
    knativeServices().inNamespace(namespace).withName(KnativeServiceRenderer.name(ref)).delete();
    client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(namespace)
        .withName(ref.appId() + "-allow-knative")
        .delete();
  }

  /**
   * Adds or removes the project's egress policy in its namespace as its setting now says (a
   * namespace not made yet gets it with its first deploy).
   */
  @Override
  public void egressChanged(String projectId) {
    String namespace = projectId;
    NetworkPolicy deny =
        client
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(namespace)
            .withName(NetworkPolicyRenderer.DEFAULT_DENY_EGRESS)
            .get();
    if (deny == null) {
      return;
    }
    if (context.egress(projectId)) {
      client
          .resource(renderer.allowEgress(namespace, deny.getMetadata().getLabels()))
          .createOr(NonDeletingOperation::update);
    } else {
      egressPolicy(namespace).delete();
    }
  }

  private io.fabric8.kubernetes.client.dsl.Resource<NetworkPolicy> egressPolicy(String namespace) {
    return client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(namespace)
        .withName(NetworkPolicyRenderer.ALLOW_EGRESS);
  }

  @Override
  public void remove(AppRef ref, int revision) {
    client
        .apps()
        .deployments()
        .inNamespace(ref.namespace())
        .withName(DeploymentRenderer.name(ref, revision))
        .delete();
    client
        .secrets()
        .inNamespace(ref.namespace())
        .withName(SecretRenderer.name(ref, revision))
        .delete();
  }

  @Override
  public void removeApp(AppRef ref) {
    String namespace = ref.namespace();
    Map<String, String> labels = Labels.selector(ref);
    client.apps().deployments().inNamespace(namespace).withLabels(labels).delete();
    client.secrets().inNamespace(namespace).withLabels(labels).delete();
    client.services().inNamespace(namespace).withLabels(labels).delete();
    client.network().v1().ingresses().inNamespace(namespace).withLabels(labels).delete();
    client.network().v1().networkPolicies().inNamespace(namespace).withLabels(labels).delete();
    if (knative.available()) {
      knativeServices().inNamespace(namespace).withLabels(labels).delete();
    }
  }

  /**
   * Deletes the project's objects, then its namespace. A cluster would delete what a namespace
   * holds with it; deleting the objects first makes that not matter, and is what the mock API
   * server the tests run against needs.
   */
  @Override
  public void removeProject(String projectId) {
    removeLabelled(Labels.PROJECT_ID, projectId);
  }

  @Override
  public void removeTenant(String tenantId) {
    removeLabelled(Labels.TENANT_ID, tenantId);
  }

  private void removeLabelled(String label, String id) {
    if (knative.available()) {
      knativeServices().inAnyNamespace().withLabel(label, id).delete();
    }
    client.apps().deployments().inAnyNamespace().withLabel(label, id).delete();
    client.secrets().inAnyNamespace().withLabel(label, id).delete();
    client.services().inAnyNamespace().withLabel(label, id).delete();
    client.network().v1().ingresses().inAnyNamespace().withLabel(label, id).delete();
    client.network().v1().networkPolicies().inAnyNamespace().withLabel(label, id).delete();
    client.resourceQuotas().inAnyNamespace().withLabel(label, id).delete();
    client.limitRanges().inAnyNamespace().withLabel(label, id).delete();
    client.namespaces().withLabel(Labels.MANAGED_BY, Labels.SLIPWAY).withLabel(label, id).delete();
  }

  @Override
  public List<RevisionState> observe(AppRef ref) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(ref.namespace())
            .withLabels(Labels.selector(ref))
            .list()
            .getItems();
    Stream<RevisionState> deployed =
        client
            .apps()
            .deployments()
            .inNamespace(ref.namespace())
            .withLabels(Labels.selector(ref))
            .list()
            .getItems()
            .stream()
            .map(d -> state(d, pods));
    Stream<RevisionState> served =
        knative.available()
            ? knativeService(ref).flatMap(KnativeStatus::revision).stream()
                .map(revision -> knativeState(revision, pods))
            : Stream.empty();
    return Stream.concat(deployed, served)
        .sorted(Comparator.comparingInt(RevisionState::revision))
        .toList();
  }

  /**
   * A revision Knative runs: as many instances as it keeps now, which is none at zero (Knative, not
   * the bridge, decides).
   */
  private static RevisionState knativeState(int revision, List<Pod> pods) {
    List<Instance> instances =
        pods.stream()
            .filter(
                p ->
                    Integer.toString(revision)
                        .equals(p.getMetadata().getLabels().get(Labels.REVISION)))
            .map(KubernetesDriver::instance)
            .toList();
    return new RevisionState(revision, instances.size(), instances);
  }

  /**
   * What Knative says of the app's Knative Service: its Ready condition (with the reason and
   * message of a revision that failed), its URL and latest ready revision. Empty when Knative does
   * not serve the app here.
   */
  public Optional<KnativeStatus> knativeStatus(AppRef ref) {
    return knative.available() ? knativeService(ref) : Optional.empty();
  }

  /** A Knative Service whose Ready condition is False, with Knative's reason and message. */
  @Override
  public Optional<Failure> failure(AppRef ref) {
    return knativeStatus(ref)
        .filter(KnativeStatus::failed)
        .map(
            s ->
                new Failure(
                    s.reason() == null ? "NotReady" : s.reason(),
                    s.message() == null
                        ? "Knative Serving reports the app not ready"
                        : s.message()));
  }

  private Optional<KnativeStatus> knativeService(AppRef ref) {
    return KnativeServiceRenderer.knative(
            knativeServices()
                .inNamespace(ref.namespace())
                .withName(KnativeServiceRenderer.name(ref))
                .get())
        .map(KnativeStatus::of);
  }

  private static RevisionState state(Deployment deployment, List<Pod> pods) {
    String revision = deployment.getMetadata().getLabels().get(Labels.REVISION);
    List<Instance> instances =
        pods.stream()
            .filter(p -> revision.equals(p.getMetadata().getLabels().get(Labels.REVISION)))
            .map(KubernetesDriver::instance)
            .toList();
    Integer replicas = deployment.getSpec().getReplicas();
    return new RevisionState(
        Integer.parseInt(revision), replicas == null ? 1 : replicas, instances);
  }

  /**
   * A pod is ready when it is Running and Ready (its readiness probe, the health check, passes);
   * the cluster routes to it through the app's Service, whose address it gets. A container that
   * terminated gives its exit code (137 when killed over its memory limit).
   */
  private static Instance instance(Pod pod) {
    var status = pod.getStatus();
    boolean ready =
        status != null
            && "Running".equals(status.getPhase())
            && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    Integer exitCode =
        status == null
            ? null
            : status.getContainerStatuses().stream()
                .map(c -> c.getState() == null ? null : c.getState().getTerminated())
                .filter(t -> t != null)
                .map(t -> t.getExitCode())
                .findFirst()
                .orElse(null);
    boolean exited = exitCode != null || (status != null && "Failed".equals(status.getPhase()));
    String ns = pod.getMetadata().getNamespace();
    String app = pod.getMetadata().getLabels().get(Labels.APP_ID);
    String address =
        exited ? null : app + "." + ns + ".svc.cluster.local:" + ServiceRenderer.SERVICE_PORT;
    return new Instance(pod.getMetadata().getName(), !exited, address, exitCode, ready);
  }

  @Override
  public Set<AppRef> apps() {
    Set<AppRef> apps = new HashSet<>();
    Stream.concat(
            client
                .apps()
                .deployments()
                .inAnyNamespace()
                .withLabel(Labels.MANAGED_BY, Labels.SLIPWAY)
                .list()
                .getItems()
                .stream(),
            client
                .services()
                .inAnyNamespace()
                .withLabel(Labels.MANAGED_BY, Labels.SLIPWAY)
                // a VM's Services are its lifecycle's (KubevirtVms), not an orphaned app's
                .withoutLabel(Labels.KIND)
                .list()
                .getItems()
                .stream())
        .map(o -> o.getMetadata().getLabels())
        .forEach(l -> Labels.owner(l).ifPresent(apps::add));
    return apps;
  }
}
