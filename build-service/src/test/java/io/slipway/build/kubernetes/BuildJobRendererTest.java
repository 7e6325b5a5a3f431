package io.slipway.build.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slipway.build.queue.AppRef;
import io.slipway.build.registry.BuildPushCredentials.PushLogin;
import io.slipway.build.sandbox.BuilderBud;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
          Duration.ofHours(1),
          "http://build-service.slipway.svc:8082",
          Duration.ofMinutes(5));
  static final URI CONTEXT =
      URI.create("http://build-service.slipway.svc:8082/internal/build-context/" + "A".repeat(43));
  static final PushLogin LOGIN = new PushLogin("job." + ID, "f".repeat(64));

  static BuildJob build() {
    return build(LOGIN);
  }

  static BuildJob build(PushLogin login) {
    return build(login, true);
  }

  static BuildJob build(PushLogin login, boolean registryTlsVerify) {
    return new BuildJob(
        ID,
        new AppRef("acme", "web", "site"),
        CONTEXT,
        COMMIT,
        "Containerfile",
        "registry.local/acme/web/site:" + COMMIT,
        login,
        registryTlsVerify,
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
        .containsExactly("context-fetch", "context-unpack", "build");
    // the URL is an argument of a constant script, never part of it
    assertThat(pod.getInitContainers().get(0).getCommand())
        .containsExactly(
            "perl", "-e", BuildJobRenderer.FETCH, CONTEXT.toString(), "/workspace/context.tar.gz");
    assertThat(BuildJobRenderer.FETCH).doesNotContain("build-service.slipway.svc");
    assertThat(pod.getInitContainers().get(1).getCommand())
        .containsExactly(
            "tar",
            "-xzf",
            "/workspace/context.tar.gz",
            "-C",
            "/workspace",
            "--one-top-level=src",
            "--no-same-owner");
    assertThat(pod.getInitContainers().get(2).getCommand())
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
    assertThat(pod.getInitContainers().get(2).getCommand().subList(2, 10))
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
    // no image but the builder: the fetch steps use its perl and tar
    assertThat(pod.getInitContainers())
        .extracting(Container::getImage)
        .containsOnly("registry.local/builder:1");
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
    // context steps: the restricted Pod Security profile
    assertThat(pod.getInitContainers().subList(0, 2))
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
    assertThat(List.of(pod.getInitContainers().get(2), pod.getContainers().get(0)))
        .allSatisfy(
            c -> {
              assertThat(c.getImage()).isEqualTo("registry.local/builder:1");
              assertThat(c.getSecurityContext().getRunAsUser()).isZero();
              assertThat(c.getSecurityContext().getRunAsNonRoot()).isFalse();
              assertThat(c.getSecurityContext().getCapabilities().getAdd())
                  .containsExactly("SETUID", "SETGID", "SETFCAP", "SYS_CHROOT");
              assertThat(c.getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("Unconfined");
            });
  }

  @Test
  void onlyThePushStepSeesTheRegistryCredential() {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container push = pod.getContainers().get(0);
    assertThat(push.getEnv())
        .contains(
            new EnvVar("REGISTRY_AUTH_FILE", "/run/slipway/registry/.dockerconfigjson", null));
    assertThat(push.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("registry-auth"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/run/slipway/registry");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getInitContainers())
        .allSatisfy(
            c -> {
              assertThat(c.getVolumeMounts()).noneMatch(m -> m.getName().equals("registry-auth"));
              assertThat(c.getEnv()).noneMatch(e -> e.getName().equals("REGISTRY_AUTH_FILE"));
            });
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("registry-auth"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("build-" + ID + "-registry");
              assertThat(v.getSecret().getItems()).isNullOrEmpty();
              assertThat(v.getSecret().getOptional()).isFalse();
            });
  }

  @Test
  void theRegistrySecretHoldsTheBuildsLoginForItsRegistryAndIsOwnedByTheJob() {
    Job created = new JobBuilder(job).editMetadata().withUid("job-uid-1").endMetadata().build();
    Secret secret = new BuildJobRenderer(SETTINGS).registrySecret(build(), created).orElseThrow();
    assertThat(secret.getMetadata().getName()).isEqualTo("build-" + ID + "-registry");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("slipway-builds");
    assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("Job");
              assertThat(owner.getApiVersion()).isEqualTo("batch/v1");
              assertThat(owner.getName()).isEqualTo("build-" + ID);
              assertThat(owner.getUid()).isEqualTo("job-uid-1");
            });
    String config =
        new String(
            Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
            StandardCharsets.UTF_8);
    String auth =
        Base64.getEncoder()
            .encodeToString(("job." + ID + ":" + "f".repeat(64)).getBytes(StandardCharsets.UTF_8));
    assertThat(config).isEqualTo("{\"auths\":{\"registry.local\":{\"auth\":\"" + auth + "\"}}}");
  }

  @Test
  void aRegistryWithoutTlsVerificationIsPushedToSo() {
    BuildJob plain = build(LOGIN, false);
    assertThat(BuildJobRenderer.pushArguments(plain))
        .containsExactly(
            "buildah",
            "push",
            "--digestfile=/dev/termination-log",
            "--tls-verify=false",
            "registry.local/acme/web/site:" + COMMIT,
            "docker://registry.local/acme/web/site:" + COMMIT);
  }

  @Test
  void anAnonymousPushGetsNoSecretAndNoAuthFile() {
    BuildJob anonymous = build(null);
    Job rendered = new BuildJobRenderer(SETTINGS).render(anonymous);
    PodSpec pod = rendered.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).noneMatch(v -> v.getName().equals("registry-auth"));
    assertThat(pod.getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals("REGISTRY_AUTH_FILE"));
    assertThat(new BuildJobRenderer(SETTINGS).registrySecret(anonymous, rendered)).isEmpty();
  }
}
