package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;

/**
 * What a cluster does with a build Job, played on fabric8's mock API server (CRUD mode) for tests:
 * the Job controller's pod, the kubelet's container statuses and log, and the Job's ending
 * condition. The pod's log is the one expectation: CRUD mode serves no {@code pods/log}.
 */
public final class PlayedCluster {

  private final KubernetesClient client;
  private final KubernetesMockServer server;
  private final String namespace;

  public PlayedCluster(KubernetesClient client, KubernetesMockServer server, String namespace) {
    this.client = client;
    this.server = server;
    this.namespace = namespace;
  }

  /**
   * The Job controller's pod: the template's labels (the build id among them), owned by the Job as
   * the controller makes it (what the garbage collector deletes with the Job).
   */
  public Pod createPod(Job job) {
    return client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-p1")
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("job-name", job.getMetadata().getName())
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
  }

  /** The kubelet's report of the pod's containers. */
  public void updatePod(Pod pod, List<ContainerStatus> init, List<ContainerStatus> main) {
    client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder(pod)
                .withNewStatus()
                .withInitContainerStatuses(init)
                .withContainerStatuses(main)
                .endStatus()
                .build())
        .updateStatus();
  }

  /** A container that ended with {@code exitCode} and its termination message. */
  public static ContainerStatus ended(String name, int exitCode, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }

  /** A container the runtime killed with {@code signal}: exit code 128 + its number. */
  public static ContainerStatus killed(String name, int signal) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(128 + signal)
        .withReason("Error")
        .endTerminated()
        .endState()
        .build();
  }

  /**
   * What of the build's objects would outlive the deletion of its Job: every Job, and every pod and
   * Secret not owned by a Job that is gone, which the garbage collector would delete (fabric8's
   * mock API server has none).
   */
  public List<String> leftBehind(String buildId) {
    var jobs = client.batch().v1().jobs().inNamespace(namespace);
    java.util.Set<String> liveJobs =
        jobs.list().getItems().stream()
            .map(j -> j.getMetadata().getUid())
            .collect(java.util.stream.Collectors.toSet());
    java.util.function.Predicate<io.fabric8.kubernetes.api.model.HasMetadata> collected =
        o ->
            o.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> "Job".equals(r.getKind()) && !liveJobs.contains(r.getUid()));
    return java.util.stream.Stream.<io.fabric8.kubernetes.api.model.HasMetadata>concat(
            java.util.stream.Stream.concat(
                jobs.withLabel(BuildJobRenderer.BUILD_ID_LABEL, buildId).list().getItems().stream(),
                client
                    .pods()
                    .inNamespace(namespace)
                    .withLabel(BuildJobRenderer.BUILD_ID_LABEL, buildId)
                    .list()
                    .getItems()
                    .stream()),
            client
                .secrets()
                .inNamespace(namespace)
                .withLabel(BuildJobRenderer.BUILD_ID_LABEL, buildId)
                .list()
                .getItems()
                .stream())
        .filter(collected.negate())
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .toList();
  }

  /** The followed log of one of the pod's containers, answered once. */
  public void expectLog(Pod pod, String container, String text) {
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + namespace
                + "/pods/"
                + pod.getMetadata().getName()
                + "/log?pretty=false&container="
                + container
                + "&follow=true")
        .andReturn(200, text)
        .once();
  }

  /** The Job's ending condition ({@code Complete} or {@code Failed}), as the controller sets it. */
  public void finish(Job job, String type, String reason, String message) {
    Job done =
        new JobBuilder(job)
            .withNewStatus()
            .addNewCondition()
            .withType(type)
            .withStatus("True")
            .withReason(reason)
            .withMessage(message)
            .endCondition()
            .endStatus()
            .build();
    client.batch().v1().jobs().inNamespace(namespace).resource(done).updateStatus();
  }
}
