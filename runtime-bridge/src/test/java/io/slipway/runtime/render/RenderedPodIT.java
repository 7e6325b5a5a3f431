package io.slipway.runtime.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.PodmanRunner;
import io.slipway.runtime.podman.ProcessTable;
import io.slipway.runtime.podman.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The pod the Kubernetes driver renders, run for real with {@code podman kube play} (no cluster
 * here): its shared process namespace makes the pod's infra container PID 1, which reaps the
 * orphans an app leaves behind. The same pod without it fills up with zombies.
 */
class RenderedPodIT {

  private static final PodmanRunner PODMAN = new PodmanRunner(Duration.ofSeconds(120));

  @AfterAll
  static void removeImages() {
    TestImages.removeAll();
  }

  @Test
  void theRenderedPodReapsTheOrphansAnAppLeavesBehind() throws IOException {
    AppSpec spec =
        Specs.web(Specs.ref("reaper", "pods", "orphans"), 1, TestImages.orphanSpawner(), 1);
    PodSpec rendered = new DeploymentRenderer().render(spec).getSpec().getTemplate().getSpec();
    assertThat(rendered.getShareProcessNamespace()).isTrue();
    assertThat(RestrictedProfile.violations(rendered)).isEmpty();
    PodSpec unshared = new PodSpecBuilder(rendered).withShareProcessNamespace(false).build();

    String reaped = TestImages.PREFIX + "pod-" + UUID.randomUUID().toString().substring(0, 8);
    String unreaped = TestImages.PREFIX + "pod-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      play(reaped, rendered);
      play(unreaped, unshared);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ProcessTable.zombies(unreaped + "-app"), zombies -> zombies >= 100);
      await()
          .failFast(
              "zombies pile up in the app's container",
              () -> ProcessTable.zombies(reaped + "-app") > 5)
          .atMost(Duration.ofSeconds(60))
          .until(() -> ProcessTable.spawned(reaped + "-app"), n -> n >= 200);
      assertThat(ProcessTable.zombies(reaped + "-app")).isLessThanOrEqualTo(5);
      // the app container sees the pod's infra process too
      assertThat(ProcessTable.processes(reaped + "-app")).isLessThanOrEqualTo(8);
    } finally {
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", reaped));
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", unreaped));
    }
  }

  /**
   * The revision template of the Knative Service a zero-scaled app gets holds a pod that starts and
   * serves: run with the {@code PORT} Knative gives it (from the container port), it answers its
   * page inside the pod, with the restricted profile intact.
   */
  @Test
  void theKnativeServicesRevisionTemplateRunsAndServes() throws IOException {
    AppSpec spec = Specs.web(Specs.ref("serve", "less", "page"), 1, TestImages.envPage("kn"), 1);
    var service =
        new KnativeServiceRenderer()
            .render(spec, new Serving(Duration.ofMinutes(5), null, null), Optional.empty());
    PodSpec template =
        new KubernetesSerialization()
            .convertValue(service.get("spec", "template", "spec"), PodSpec.class);
    assertThat(RestrictedProfile.violations(template)).isEmpty();
    assertThat(template.getContainers().getFirst().getEnv())
        .noneMatch(e -> e.getName().equals(AppSpec.PORT_VARIABLE));
    PodSpec asKnativeRunsIt =
        new PodSpecBuilder(template)
            .editFirstContainer()
            .addNewEnv()
            .withName(AppSpec.PORT_VARIABLE)
            .withValue(Integer.toString(spec.port()))
            .endEnv()
            .endContainer()
            .build();

    String name = TestImages.PREFIX + "kn-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      play(name, asKnativeRunsIt);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  PODMAN
                      .attempt(
                          List.of(
                              "exec",
                              name + "-app",
                              "/bin/busybox",
                              "wget",
                              "-qO-",
                              "http://127.0.0.1:" + spec.port() + "/"))
                      .stdout(),
              page -> page.contains("kn hello"));
      assertThat(
              PODMAN
                  .run(List.of("inspect", "--format", "{{.Config.User}}", name + "-app"))
                  .stdout()
                  .strip())
          .startsWith(Long.toString(AppSpec.DEFAULT_USER));
    } finally {
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", name));
    }
  }

  /**
   * Plays the pod spec as pod {@code name} (its app container is {@code <name>-app}). Without its
   * container ports: Podman 4.3 publishes them on the host, where a pod's containerPort is only
   * informative on Kubernetes, and two pods would collide there.
   */
  private static void play(String name, PodSpec spec) throws IOException {
    PodSpec unpublished =
        new PodSpecBuilder(spec).editFirstContainer().withPorts().endContainer().build();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withSpec(unpublished)
            .build();
    Path yaml = Files.createTempFile(TestImages.PREFIX, ".yaml");
    try {
      Files.writeString(yaml, Serialization.asYaml(pod));
      PODMAN.run(List.of("kube", "play", yaml.toString()));
    } finally {
      Files.delete(yaml);
    }
  }
}
