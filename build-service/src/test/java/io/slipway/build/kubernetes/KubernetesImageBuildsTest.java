package io.slipway.build.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.slipway.build.kubernetes.KubernetesImageBuilds.Ending;
import io.slipway.build.kubernetes.KubernetesImageBuilds.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A build run to its end as a Job, against fabric8's mock API server in CRUD mode, the test playing
 * the Job controller and the kubelet: it makes the Job's pod, writes the pod's container states
 * (the push step's termination message with the digest) and the Job's conditions. Only the pod's
 * log is an expectation: CRUD mode serves objects, and a container's log is no object.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesImageBuildsTest {

  private static final String NAMESPACE = "slipway-builds";
  private static final String DIGEST = "sha256:" + "c".repeat(64);

  KubernetesClient client;
  KubernetesMockServer server;

  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<UUID> revoked = new CopyOnWriteArrayList<>();

  private KubernetesImageBuilds builds() {
    KubernetesBuildProperties settings = BuildJobRendererTest.SETTINGS;
    return new KubernetesImageBuilds(
        client,
        new KubernetesBuildExecutor(client, new BuildJobRenderer(settings), settings),
        revoked::add,
        settings,
        Duration.ofMillis(50));
  }

  private CompletableFuture<Result> start(BuildJob build, AtomicBoolean cancelled) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return builds().run(build, log::add, cancelled::get);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void aCompletedJobIsTheImageByItsDigestWithThePodsLogStreamedStepByStep() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);

    Pod pod = createPod(build);
    expectLog(pod, "context-fetch", "build context: 1024 bytes\n");
    expectLog(pod, "context-unpack", "");
    expectLog(pod, "build", "STEP 1/2: FROM registry.local/base:1\nSTEP 2/2: COPY . /app\n");
    expectLog(pod, "push", "Writing manifest to image destination\n");
    updatePod(
        pod,
        List.of(
            ended("context-fetch", 0, null),
            ended("context-unpack", 0, null),
            ended("build", 0, null)),
        List.of(ended("push", 0, DIGEST + "\n")));
    finish(job, "Complete", null, null);

    assertThat(running.get(20, TimeUnit.SECONDS))
        .isEqualTo(new Result(Ending.SUCCEEDED, DIGEST, null));
    assertThat(log)
        .containsSubsequence(
            "Submitted Job " + build.jobName() + " in namespace " + NAMESPACE,
            "build context: 1024 bytes",
            "STEP 1/2: FROM registry.local/base:1",
            "STEP 2/2: COPY . /app",
            "Writing manifest to image destination");
    assertThat(log).noneMatch(line -> line.contains("could not be read"));
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(revoked).containsExactly(build.buildId());
  }

  @Test
  void aFailedJobIsTheBuildFailedWithItsReasonAndTheFailingStep() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);

    Pod pod = createPod(build);
    expectLog(pod, "build", "STEP 2/2: RUN make\nmake: *** No rule to make target 'all'.  Stop.\n");
    updatePod(
        pod,
        List.of(
            ended("context-fetch", 0, null),
            ended("context-unpack", 0, null),
            ended("build", 2, null)),
        List.of());
    finish(job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

    Result result = running.get(20, TimeUnit.SECONDS);
    assertThat(result.ending()).isEqualTo(Ending.FAILED);
    assertThat(result.reason())
        .isEqualTo(
            "the build's Job failed: BackoffLimitExceeded: Job has reached the specified backoff"
                + " limit; step build exited with code 2 (Error)");
    assertThat(log).endsWith("make: *** No rule to make target 'all'.  Stop.");
    assertThat(revoked).containsExactly(build.buildId());
  }

  @Test
  void aTerminationMessageThatIsNoDigestFailsTheBuild() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);
    Pod pod = createPod(build);
    updatePod(pod, List.of(), List.of(ended("push", 0, "sha256:" + "c".repeat(64) + "@evil")));
    finish(job, "Complete", null, null);

    assertThat(running.get(20, TimeUnit.SECONDS))
        .isEqualTo(
            new Result(
                Ending.FAILED,
                null,
                "the build's Job completed, but its push step reported no image digest"));
  }

  @Test
  void aJobPastItsDeadlineFailsSayingSo() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);
    finish(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");

    assertThat(running.get(20, TimeUnit.SECONDS).reason())
        .isEqualTo(
            "the build's Job failed: DeadlineExceeded: Job was active longer than specified"
                + " deadline");
  }

  @Test
  void cancelDeletesTheBuildsJobAndNoOtherBuilds() throws Exception {
    BuildJob other = BuildJobRendererTest.build(null);
    BuildJob build =
        new BuildJob(
            UUID.randomUUID(),
            other.app(),
            other.contextUrl(),
            other.commitId(),
            other.containerfile(),
            other.image(),
            other.pushLogin(),
            true,
            other.memoryMib(),
            other.milliCpus(),
            other.timeout());
    // another tenant's build, running beside it
    new KubernetesBuildExecutor(
            client,
            new BuildJobRenderer(BuildJobRendererTest.SETTINGS),
            BuildJobRendererTest.SETTINGS)
        .submit(other);
    AtomicBoolean cancelled = new AtomicBoolean();
    CompletableFuture<Result> running = start(build, cancelled);
    awaitJob(build);

    cancelled.set(true);

    assertThat(running.get(20, TimeUnit.SECONDS).ending()).isEqualTo(Ending.CANCELLED);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .extracting(j -> j.getMetadata().getName())
        .containsExactly(other.jobName());
    assertThat(revoked).containsExactly(build.buildId());
  }

  @Test
  void aStopLeavesTheJobAndItsCredentialAndAResumeWatchesTheSameJob() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    Thread worker =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    builds().run(build, log::add, () -> false);
                  } catch (InterruptedException e) {
                    log.add("interrupted");
                  }
                });
    Job job = awaitJob(build);
    // stopped while it watches the Job: after the submit (a stop during it leaves no Job)
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> log.stream().anyMatch(line -> line.startsWith("Submitted Job")));

    worker.interrupt();
    worker.join(Duration.ofSeconds(10));

    assertThat(log).contains("interrupted");
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(revoked).isEmpty();

    KubernetesImageBuilds restarted = builds();
    assertThat(restarted.hasJob(build.buildId())).isTrue();
    CompletableFuture<Result> resumed =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return restarted.resume(build.buildId(), build.timeout(), log::add, () -> false);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Pod pod = createPod(build);
    updatePod(pod, List.of(), List.of(ended("push", 0, DIGEST)));
    finish(job, "Complete", null, null);

    assertThat(resumed.get(20, TimeUnit.SECONDS))
        .isEqualTo(new Result(Ending.SUCCEEDED, DIGEST, null));
    assertThat(log).contains("Watching Job " + build.jobName() + " again");
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(revoked).containsExactly(build.buildId());
  }

  private Job awaitJob(BuildJob build) {
    var jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(build.jobName());
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.get() != null);
    return jobs.get();
  }

  /** The Job controller's pod: the template's labels (the build id among them). */
  private Pod createPod(BuildJob build) {
    Map<String, String> labels =
        new BuildJobRenderer(BuildJobRendererTest.SETTINGS)
            .render(build)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(build.jobName() + "-x1")
                .withLabels(labels)
                .addToLabels("job-name", build.jobName())
                .endMetadata()
                .build())
        .create();
  }

  /** The kubelet's report of the pod's containers. */
  private void updatePod(Pod pod, List<ContainerStatus> init, List<ContainerStatus> main) {
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder(pod)
                .withNewStatus()
                .withInitContainerStatuses(init)
                .withContainerStatuses(main)
                .endStatus()
                .build())
        .updateStatus();
  }

  private static ContainerStatus ended(String name, int exitCode, String message) {
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

  private void expectLog(Pod pod, String container, String text) {
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + NAMESPACE
                + "/pods/"
                + pod.getMetadata().getName()
                + "/log?pretty=false&container="
                + container
                + "&follow=true")
        .andReturn(200, text)
        .once();
  }

  private void finish(Job job, String type, String reason, String message) {
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
    client.batch().v1().jobs().inNamespace(NAMESPACE).resource(done).updateStatus();
  }
}
