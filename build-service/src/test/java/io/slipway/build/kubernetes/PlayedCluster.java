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

  /** The Job controller's pod: the template's labels (the build id among them). */
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
