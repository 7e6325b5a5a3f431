package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.DeploymentRenderer;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs apps on Kubernetes: creates the rendered objects, or replaces what exists with them (so a
 * second apply of the same objects is a no-op and never a duplicate), one Deployment per revision.
 */
public final class KubernetesDriver implements RuntimeDriver {

  private final KubernetesClient client;
  private final ManifestRenderer renderer;

  public KubernetesDriver(KubernetesClient client, ManifestRenderer renderer) {
    this.client = client;
    this.renderer = renderer;
  }

  @Override
  public void apply(AppSpec spec) {
    for (HasMetadata object : renderer.render(spec)) {
      // Create, or replace what exists with the desired form (fabric8 keeps a Service's cluster
      // IP): a second call changes nothing. Server-side apply would be the idiom on a real
      // cluster, but fabric8's mock API server, which the tests run against, does not take it.
      client.resource(object).createOr(NonDeletingOperation::update);
    }
  }

  @Override
  public void remove(AppRef ref, int revision) {
    client
        .apps()
        .deployments()
        .inNamespace(ref.namespace())
        .withName(DeploymentRenderer.name(ref, revision))
        .delete();
  }

  @Override
  public void removeApp(AppRef ref) {
    String namespace = ref.namespace();
    Map<String, String> labels = Labels.app(ref);
    client.apps().deployments().inNamespace(namespace).withLabels(labels).delete();
    client.services().inNamespace(namespace).withLabels(labels).delete();
    client.network().v1().ingresses().inNamespace(namespace).withLabels(labels).delete();
    client.network().v1().networkPolicies().inNamespace(namespace).withLabels(labels).delete();
  }

  @Override
  public List<RevisionState> observe(AppRef ref) {
    List<Pod> pods =
        client.pods().inNamespace(ref.namespace()).withLabels(Labels.app(ref)).list().getItems();
    return client
        .apps()
        .deployments()
        .inNamespace(ref.namespace())
        .withLabels(Labels.app(ref))
        .list()
        .getItems()
        .stream()
        .map(d -> state(d, pods))
        .sorted(Comparator.comparingInt(RevisionState::revision))
        .toList();
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

  private static Instance instance(Pod pod) {
    boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    return new Instance(pod.getMetadata().getName(), running, null, null);
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
                .list()
                .getItems()
                .stream())
        .map(o -> o.getMetadata().getLabels())
        .forEach(
            l ->
                apps.add(
                    new AppRef(l.get(Labels.TENANT), l.get(Labels.PROJECT), l.get(Labels.APP))));
    return apps;
  }
}
