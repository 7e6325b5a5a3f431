package io.slipway.build.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.slipway.build.registry.BuildPushCredentials.PushLogin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Kubernetes executor against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesBuildExecutorTest {

  KubernetesClient client;
  KubernetesMockServer server;

  private KubernetesBuildExecutor executor() {
    return new KubernetesBuildExecutor(
        client, new BuildJobRenderer(BuildJobRendererTest.SETTINGS), BuildJobRendererTest.SETTINGS);
  }

  @Test
  void createsTheRenderedJobOnceEvenWhenSubmittedTwice() {
    BuildJob build = BuildJobRendererTest.build();
    Job first = executor().submit(build);
    Job second = executor().submit(build);

    assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    var stored = client.batch().v1().jobs().inNamespace("slipway-builds").list().getItems();
    assertThat(stored).hasSize(1);
    Job expected = new BuildJobRenderer(BuildJobRendererTest.SETTINGS).render(build);
    assertThat(stored.get(0).getSpec()).isEqualTo(expected.getSpec());
    assertThat(executor().outcome(build.buildId()))
        .contains(
            new KubernetesBuildExecutor.JobOutcome(
                KubernetesBuildExecutor.Phase.RUNNING, null, null));
  }

  @Test
  void createsTheRegistrySecretOwnedByTheJobAndReplacesItOnASecondSubmit() {
    BuildJob build = BuildJobRendererTest.build();
    Job job = executor().submit(build);

    var secrets = client.secrets().inNamespace("slipway-builds");
    Secret secret = secrets.withName(build.secretName()).get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
    // the API server deletes it with the Job it is owned by
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(owner.getKind()).isEqualTo("Job");
              assertThat(owner.getName()).isEqualTo(build.jobName());
            });
    assertThat(
            job.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null)
                .map(v -> v.getSecret().getSecretName()))
        .containsExactly(build.secretName());

    // a resubmission carries a newly issued credential: the one Secret now holds it
    BuildJob again =
        BuildJobRendererTest.build(new PushLogin(build.pushLogin().username(), "e".repeat(64)));
    executor().submit(again);
    assertThat(secrets.list().getItems()).hasSize(1);
    String config =
        new String(
            Base64.getDecoder()
                .decode(
                    secrets.withName(build.secretName()).get().getData().get(".dockerconfigjson")),
            StandardCharsets.UTF_8);
    assertThat(config)
        .contains(
            Base64.getEncoder()
                .encodeToString(
                    (build.pushLogin().username() + ":" + "e".repeat(64))
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(client.batch().v1().jobs().inNamespace("slipway-builds").list().getItems())
        .hasSize(1);
  }

  @Test
  void anAnonymousPushMakesNoSecret() {
    executor().submit(BuildJobRendererTest.build(null));
    assertThat(client.secrets().inNamespace("slipway-builds").list().getItems()).isEmpty();
  }

  @Test
  void readsBackCompletionWithThePushedDigest() throws Exception {
    BuildJob build = BuildJobRendererTest.build();
    Job job = executor().submit(build);
    var waiting =
        CompletableFuture.supplyAsync(
            () -> executor().await(build.buildId(), Duration.ofSeconds(20)));

    client
        .pods()
        .inNamespace("slipway-builds")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(build.jobName() + "-x1")
                .addToLabels("job-name", build.jobName())
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("push")
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withMessage("sha256:" + "c".repeat(64) + "\n")
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    cluster().finish(job, "Complete", null, null);

    assertThat(waiting.get())
        .isEqualTo(
            new KubernetesBuildExecutor.JobOutcome(
                KubernetesBuildExecutor.Phase.SUCCEEDED, null, "sha256:" + "c".repeat(64)));
  }

  @Test
  void readsBackFailureWithKubernetesReason() {
    BuildJob build = BuildJobRendererTest.build();
    Job job = executor().submit(build);
    cluster()
        .finish(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");

    assertThat(executor().await(build.buildId(), Duration.ofSeconds(5)))
        .isEqualTo(
            new KubernetesBuildExecutor.JobOutcome(
                KubernetesBuildExecutor.Phase.FAILED,
                "DeadlineExceeded: Job was active longer than specified deadline",
                null));
  }

  @Test
  void aJobStillRunningAtTheTimeoutIsReportedRunningAndAnUnknownBuildIsEmpty() {
    BuildJob build = BuildJobRendererTest.build();
    executor().submit(build);
    // long enough for the watch to be established even on a loaded machine: cut off mid-list,
    // fabric8's mock server leaves the next request of the test hanging
    assertThat(executor().await(build.buildId(), Duration.ofSeconds(3)).phase())
        .isEqualTo(KubernetesBuildExecutor.Phase.RUNNING);
    assertThat(executor().outcome(java.util.UUID.randomUUID())).isEmpty();
  }

  private PlayedCluster cluster() {
    return new PlayedCluster(client, server, "slipway-builds");
  }
}
