package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.slipway.build.kubernetes.BuildJobRenderer;
import io.slipway.build.kubernetes.PlayedCluster;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestPostgres;
import io.slipway.testing.TestTenantService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The workers with {@code slipway.build.executor=kubernetes}: a pushed build is taken by a worker
 * (quota, checkout, Containerfile as with podman) and runs as exactly one Job in fabric8's mock API
 * server (CRUD mode), the test playing the Job controller and kubelet: it makes the Job's pod,
 * writes its containers' states (the push step's termination message carries the digest) and the
 * Job's conditions. The pod's log is an expectation, the one thing CRUD mode cannot serve. The
 * application gets its own database and data directory, so no podman worker of another test's
 * application takes these builds, and neither application's clean-ups see the other's files.
 */
class KubernetesExecutorIT extends BuildServiceTest {

  private static final String NAMESPACE = "slipway-builds";
  private static final String REGISTRY = "registry.test:5000";
  private static final String DIGEST = "sha256:" + "d".repeat(64);
  private static final String DATABASE = TestPostgres.newDatabase();
  private static final Path DATA = dataDir("slipway-build-k8s-test-data");
  private static final Map<ServerRequest, Queue<ServerResponse>> RESPONSES = new HashMap<>();
  private static final KubernetesMockServer SERVER =
      new KubernetesMockServer(
          new Context(Serialization.jsonMapper()),
          new MockWebServer(),
          RESPONSES,
          new KubernetesMixedDispatcher(RESPONSES),
          false);

  static {
    SERVER.init();
    // how fabric8's client, which build-service builds itself, finds the cluster
    System.setProperty("kubernetes.master", SERVER.url("/"));
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    System.setProperty("kubernetes.namespace", NAMESPACE);
  }

  @DynamicPropertySource
  static void kubernetes(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("slipway.build.data-dir", DATA::toString);
    registry.add("slipway.build.executor", () -> "kubernetes");
    registry.add("slipway.build.registry.url", () -> REGISTRY);
    registry.add("slipway.build.kubernetes.context-url", () -> "http://build-service.test:8082");
    // so that each build gets a push credential, whose revocation is checked
    registry.add("slipway.build.registry.auth.enabled", () -> "true");
    registry.add(
        "slipway.build.registry.auth.platform-password", () -> "platform-secret-of-this-test");
  }

  @AfterAll
  static void stopServer() {
    SERVER.destroy();
  }

  @TempDir Path work;
  @Autowired BuildWorkers workers;
  @Autowired BuildQueue queue;
  @Autowired JdbcClient jdbc;
  private final KubernetesClient client = SERVER.createClient();
  private GitCli git;
  private Tenancy tenancy;

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
  }

  /** The restart test stops the workers: the others need them. */
  @AfterEach
  void workersRun() {
    if (!workers.isRunning()) {
      workers.start();
    }
  }

  @Test
  void aBuildRunsAsOneJobAndSucceedsWithTheDigestItPushed() throws Exception {
    tenancy.push(git, busyboxRepository(git, work), port);
    Job job = awaitJob(1);
    String id = job.getMetadata().getLabels().get(BuildJobRenderer.BUILD_ID_LABEL);
    assertThat(jobsOf(id)).hasSize(1);
    Pod pod = cluster().createPod(job);
    cluster().expectLog(pod, "context-fetch", "build context: 2048 bytes\n");
    cluster().expectLog(pod, "context-unpack", "");
    cluster().expectLog(pod, "build", "STEP 1/4: FROM scratch\nCOMMIT " + REGISTRY + "/x\n");
    cluster().expectLog(pod, "push", "Writing manifest to image destination\n");
    cluster()
        .updatePod(
            pod,
            List.of(
                PlayedCluster.ended("context-fetch", 0, null),
                PlayedCluster.ended("context-unpack", 0, null)),
            List.of());
    cluster()
        .updatePod(
            client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).get(),
            List.of(
                PlayedCluster.ended("context-fetch", 0, null),
                PlayedCluster.ended("context-unpack", 0, null),
                PlayedCluster.ended("build", 0, null)),
            List.of(PlayedCluster.ended("push", 0, DIGEST + "\n")));
    cluster().finish(job, "Complete", null, null);

    JsonNode build = tenancy.awaitSucceeded(baseUrl(), 1);
    String repository = REGISTRY + "/" + tenancy.ids().path();
    assertThat(build.path("digest").asString()).isEqualTo(DIGEST);
    assertThat(build.path("registryImage").asString()).isEqualTo(repository + "@" + DIGEST);
    assertThat(tenancy.log(baseUrl(), 1))
        .contains("Submitted Job " + job.getMetadata().getName())
        .contains("STEP 1/4: FROM scratch\n")
        .contains("Writing manifest to image destination\n")
        .contains("Pushed " + repository + "@" + DIGEST);
    // its log and digest are the build's: the Job goes, its pod and Secret with it
    assertThat(cluster().leftBehind(id)).isEmpty();
    assertThat(credentials(id)).isZero();
  }

  @Test
  void aPodKilledMidBuildFailsTheBuildWithTheReasonAndLeavesNothingBehind() throws Exception {
    tenancy.push(git, busyboxRepository(git, work), port);
    Job job = awaitJob(1);
    String id = job.getMetadata().getLabels().get(BuildJobRenderer.BUILD_ID_LABEL);
    assertThat(credentials(id)).isOne();
    Pod pod = cluster().createPod(job);
    cluster().expectLog(pod, "context-fetch", "build context: 2048 bytes\n");
    cluster().expectLog(pod, "context-unpack", "");
    cluster()
        .expectLog(pod, "build", "STEP 1/4: FROM scratch\nSTEP 2/4: COPY busybox /bin/busybox\n");
    // the pod deleted (or evicted, or its node gone) mid-build: SIGTERM, then SIGKILL
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

    JsonNode build = tenancy.awaitEnded(baseUrl(), 1);
    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .startsWith(
            "the build's Job failed: BackoffLimitExceeded: Job has reached the specified backoff"
                + " limit; step build exited with code 137 (Error): killed by signal 9 (SIGKILL);"
                + " the log ends with:")
        .endsWith("STEP 2/4: COPY busybox /bin/busybox");
    assertThat(cluster().leftBehind(id)).isEmpty();
    assertThat(credentials(id)).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> buildsHoldingQuota() == 0);
  }

  /** The build's registry push credentials, in build-service's database. */
  private int credentials(String buildId) {
    return jdbc.sql("select count(*) from build_push_credential where build_id = ?::uuid")
        .param(buildId)
        .query(Integer.class)
        .single();
  }

  @Test
  void aFailedJobFailsTheBuildWithItsReasonAndTheLastLines() throws Exception {
    tenancy.push(git, busyboxRepository(git, work), port);
    Job job = awaitJob(1);
    Pod pod = cluster().createPod(job);
    cluster().expectLog(pod, "context-fetch", "build context: 2048 bytes\n");
    cluster().expectLog(pod, "context-unpack", "");
    cluster()
        .expectLog(pod, "build", "STEP 2/4: COPY busybox /bin/busybox\nError: no space left\n");
    cluster()
        .updatePod(
            pod,
            List.of(
                PlayedCluster.ended("context-fetch", 0, null),
                PlayedCluster.ended("context-unpack", 0, null),
                PlayedCluster.ended("build", 125, null)),
            List.of());
    cluster()
        .finish(
            job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

    JsonNode build = tenancy.awaitEnded(baseUrl(), 1);
    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .startsWith(
            "the build's Job failed: BackoffLimitExceeded: Job has reached the specified backoff"
                + " limit; step build exited with code 125 (Error); the log ends with:")
        .endsWith("Error: no space left");
  }

  @Test
  void cancelDeletesTheJob() throws Exception {
    tenancy.push(git, busyboxRepository(git, work), port);
    Job job = awaitJob(1);
    String id = job.getMetadata().getLabels().get(BuildJobRenderer.BUILD_ID_LABEL);

    Json.Response cancel =
        Json.post(tenancy.owner.jwt(), tenancy.buildsUrl(baseUrl()) + "/1/cancel", null);

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> jobsOf(id).isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> tenancy.log(baseUrl(), 1).contains("Build cancelled: its Job was deleted"));
    assertThat(tenancy.build(baseUrl(), 1).path("status").asString()).isEqualTo("cancelled");
  }

  @Test
  void aRestartedServiceWatchesTheRunningJobAgainAndMakesNoSecond() throws Exception {
    tenancy.push(git, busyboxRepository(git, work), port);
    Job job = awaitJob(1);
    String id = job.getMetadata().getLabels().get(BuildJobRenderer.BUILD_ID_LABEL);

    workers.stop();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> logSoFar().contains("its next start watches it again"));
    assertThat(tenancy.build(baseUrl(), 1).path("status").asString()).isEqualTo("running");
    // the build keeps its quota while its Job runs on
    assertThat(buildsHoldingQuota()).isEqualTo(1);
    workers.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> logSoFar().contains("Watching Job " + job.getMetadata().getName()));
    assertThat(jobsOf(id)).hasSize(1);
    Pod pod = cluster().createPod(job);
    cluster().updatePod(pod, List.of(), List.of(PlayedCluster.ended("push", 0, DIGEST)));
    cluster().finish(job, "Complete", null, null);

    JsonNode build = tenancy.awaitSucceeded(baseUrl(), 1);
    assertThat(build.path("digest").asString()).isEqualTo(DIGEST);
    assertThat(cluster().leftBehind(id)).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> buildsHoldingQuota() == 0);
  }

  /** The tenant's concurrent builds held in tenant-service, as its owner reads its usage. */
  private long buildsHoldingQuota() {
    return tenancy.usage().path("used").path("concurrentBuilds").asLong();
  }

  /** Build 1's log as it is now ({@code GET .../logs} streams until the build ends). */
  private String logSoFar() {
    return queue
        .logSince(new AppRef(tenancy.tenant, tenancy.project, tenancy.app), 1, 0)
        .orElseThrow()
        .text();
  }

  /** The Job of build {@code number} of this test's app, once its worker submitted it. */
  private Job awaitJob(int number) {
    String[] id = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              id[0] = tenancy.build(baseUrl(), number).path("id").asString();
              return !id[0].isEmpty() && !jobsOf(id[0]).isEmpty();
            });
    return jobsOf(id[0]).get(0);
  }

  private List<Job> jobsOf(String buildId) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NAMESPACE)
        .withLabel(BuildJobRenderer.BUILD_ID_LABEL, buildId)
        .list()
        .getItems();
  }

  private PlayedCluster cluster() {
    return new PlayedCluster(client, SERVER, NAMESPACE);
  }
}
