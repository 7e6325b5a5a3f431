package io.slipway.build.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.slipway.build.kubernetes.KubernetesImageBuilds.Ending;
import io.slipway.build.kubernetes.KubernetesImageBuilds.Result;
import java.time.Duration;
import java.util.List;
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

    Pod pod = cluster().createPod(job);
    cluster().expectLog(pod, "context-fetch", "build context: 1024 bytes\n");
    cluster().expectLog(pod, "context-unpack", "");
    cluster()
        .expectLog(pod, "build", "STEP 1/2: FROM registry.local/base:1\nSTEP 2/2: COPY . /app\n");
    cluster().expectLog(pod, "push", "Writing manifest to image destination\n");
    cluster()
        .updatePod(
            pod,
            List.of(
                PlayedCluster.ended("context-fetch", 0, null),
                PlayedCluster.ended("context-unpack", 0, null),
                PlayedCluster.ended("build", 0, null)),
            List.of(PlayedCluster.ended("push", 0, DIGEST + "\n")));
    cluster().finish(job, "Complete", null, null);

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
    assertThat(cluster().leftBehind(build.buildId().toString())).isEmpty();
    assertThat(revoked).containsExactly(build.buildId());
  }

  @Test
  void aFailedJobIsTheBuildFailedWithItsReasonAndTheFailingStep() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);

    Pod pod = cluster().createPod(job);
    cluster()
        .expectLog(
            pod, "build", "STEP 2/2: RUN make\nmake: *** No rule to make target 'all'.  Stop.\n");
    cluster()
        .updatePod(
            pod,
            List.of(
                PlayedCluster.ended("context-fetch", 0, null),
                PlayedCluster.ended("context-unpack", 0, null),
                PlayedCluster.ended("build", 2, null)),
            List.of());
    cluster()
        .finish(
            job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

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
  void aPodKilledMidBuildFailsTheBuildSayingSoAndLeavesNothingBehind() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);
    assertThat(
            client
                .secrets()
                .inNamespace(NAMESPACE)
                .withLabel(BuildJobRenderer.BUILD_ID_LABEL, build.buildId().toString())
                .list()
                .getItems())
        .as("the push credential's Secret")
        .hasSize(1);

    // the pod deleted (or evicted) mid-build: the build step gets SIGTERM, then SIGKILL
    Pod pod = cluster().createPod(job);
    cluster().expectLog(pod, "build", "STEP 1/2: FROM registry.local/base:1\nSTEP 2/2: RUN make\n");
    cluster()
        .updatePod(
            pod,
            List.of(
                PlayedCluster.ended("context-fetch", 0, null),
                PlayedCluster.ended("context-unpack", 0, null),
                PlayedCluster.killed("build", 9)),
            List.of());
    cluster()
        .finish(
            job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

    Result result = running.get(20, TimeUnit.SECONDS);
    assertThat(result.ending()).isEqualTo(Ending.FAILED);
    assertThat(result.reason())
        .isEqualTo(
            "the build's Job failed: BackoffLimitExceeded: Job has reached the specified backoff"
                + " limit; step build exited with code 137 (Error): killed by signal 9 (SIGKILL)");
    assertThat(log).endsWith("STEP 2/2: RUN make");
    assertThat(cluster().leftBehind(build.buildId().toString())).isEmpty();
    assertThat(revoked).containsExactly(build.buildId());
  }

  @Test
  void aTerminationMessageThatIsNoDigestFailsTheBuild() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    CompletableFuture<Result> running = start(build, new AtomicBoolean());
    Job job = awaitJob(build);
    Pod pod = cluster().createPod(job);
    cluster()
        .updatePod(
            pod,
            List.of(),
            List.of(PlayedCluster.ended("push", 0, "sha256:" + "c".repeat(64) + "@evil")));
    cluster().finish(job, "Complete", null, null);

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
    cluster()
        .finish(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");

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
    Pod pod = cluster().createPod(job);
    cluster().updatePod(pod, List.of(), List.of(PlayedCluster.ended("push", 0, DIGEST)));
    cluster().finish(job, "Complete", null, null);

    assertThat(resumed.get(20, TimeUnit.SECONDS))
        .isEqualTo(new Result(Ending.SUCCEEDED, DIGEST, null));
    assertThat(log).contains("Watching Job " + build.jobName() + " again");
    assertThat(cluster().leftBehind(build.buildId().toString())).isEmpty();
    assertThat(revoked).containsExactly(build.buildId());
  }

  private Job awaitJob(BuildJob build) {
    var jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(build.jobName());
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.get() != null);
    return jobs.get();
  }

  /** The kubelet's report of the pod's containers. */
  private PlayedCluster cluster() {
    return new PlayedCluster(client, server, NAMESPACE);
  }
}
