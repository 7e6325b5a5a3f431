package io.slipway.build.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slipway.build.queue.AppRef;
import io.slipway.build.sandbox.BuilderBud;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BuildJobRendererTest {

  static final UUID ID = UUID.fromString("0b0e7c1e-5d55-4f43-9a3c-2f1c1b6c7a10");
  static final String COMMIT = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d";
  static final KubernetesBuildProperties SETTINGS =
      new KubernetesBuildProperties(
          "slipway-builds",
          "registry.local/builder:1",
          "registry.local/git:2",
          Duration.ofHours(1));

  static BuildJob build() {
    return new BuildJob(
        ID,
        new AppRef("acme", "web", "site"),
        "https://git.example.test/acme/site.git",
        COMMIT,
        "Containerfile",
        "registry.local/acme/web/site:" + COMMIT,
        512,
        500,
        Duration.ofMinutes(10));
  }

  private final Job job = new BuildJobRenderer(SETTINGS).render(build());

  @Test
  void namesTheJobAfterTheBuildAndLimitsItsRetriesTimeAndLifetime() {
    assertThat(job.getMetadata().getName()).isEqualTo("build-" + ID);
    assertThat(job.getMetadata().getNamespace()).isEqualTo("slipway-builds");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("slipway.io/build-id", ID.toString())
        .containsEntry("slipway.io/tenant", "acme")
        .containsEntry("slipway.io/project", "web")
        .containsEntry("slipway.io/app", "site");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getHostUsers()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
  }

  @Test
  void fetchesBuildsAndPushesWithExactArgumentLists() {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("source-init", "source-fetch", "source-checkout", "build");
    assertThat(pod.getInitContainers().get(1).getCommand())
        .containsExactly(
            "git",
            "-C",
            "/workspace/src",
            "fetch",
            "-q",
            "--depth=1",
            "https://git.example.test/acme/site.git",
            COMMIT);
    assertThat(pod.getInitContainers().get(3).getCommand())
        .containsExactly(
            "buildah",
            "bud",
            "--layers",
            "--pull=missing",
            "--isolation=chroot",
            "--cap-drop=all",
            "--force-rm",
            "--file=/workspace/src/Containerfile",
            "--tag=registry.local/acme/web/site:" + COMMIT,
            "/workspace/src");
    // the podman sandbox's very flags, bar where bases come from
    assertThat(pod.getInitContainers().get(3).getCommand().subList(2, 10))
        .isEqualTo(
            BuilderBud.inTenantStore(
                    "/workspace/src/Containerfile",
                    "registry.local/acme/web/site:" + COMMIT,
                    "/workspace/src")
                .arguments()
                .stream()
                .map(argument -> argument.equals("--pull=never") ? "--pull=missing" : argument)
                .toList());
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(pod.getContainers().get(0).getCommand())
        .containsExactly(
            "buildah",
            "push",
            "--digestfile=/dev/termination-log",
            "registry.local/acme/web/site:" + COMMIT,
            "docker://registry.local/acme/web/site:" + COMMIT);
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.local/builder:1");
    assertThat(pod.getInitContainers().get(0).getImage()).isEqualTo("registry.local/git:2");
  }

  @Test
  void everyContainerHasTheBuildsLimitsAndTheTightestContextItsStepAllows() {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Map<String, Quantity> limits =
        Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi"));
    List<Container> all =
        java.util.stream.Stream.concat(
                pod.getInitContainers().stream(), pod.getContainers().stream())
            .toList();
    assertThat(all)
        .allSatisfy(
            c -> {
              assertThat(c.getResources().getLimits()).isEqualTo(limits);
              assertThat(c.getResources().getRequests()).isEqualTo(limits);
              assertThat(c.getSecurityContext().getPrivileged()).isFalse();
              assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
              assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
              assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            });
    // git steps: the restricted Pod Security profile
    assertThat(pod.getInitContainers().subList(0, 3))
        .allSatisfy(
            c -> {
              assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
              assertThat(c.getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("RuntimeDefault");
            });
    // builder steps: root of the pod's own user namespace (the one field restricted refuses),
    // and only what a nested user namespace needs
    assertThat(pod.getHostUsers()).isFalse();
    assertThat(List.of(pod.getInitContainers().get(3), pod.getContainers().get(0)))
        .allSatisfy(
            c -> {
              assertThat(c.getImage()).isEqualTo("registry.local/builder:1");
              assertThat(c.getSecurityContext().getRunAsUser()).isZero();
              assertThat(c.getSecurityContext().getRunAsNonRoot()).isFalse();
              assertThat(c.getSecurityContext().getCapabilities().getAdd())
                  .containsExactly("SETUID", "SETGID");
              assertThat(c.getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("Unconfined");
            });
  }
}
