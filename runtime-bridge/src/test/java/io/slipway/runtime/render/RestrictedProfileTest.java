package io.slipway.runtime.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RestrictedProfileTest {

  private final ManifestRenderer renderer = new ManifestRenderer(RenderSettings.defaults());

  /** Every manifest the renderer emits, across the shapes of spec it accepts, passes. */
  @Test
  void everyRenderedManifestPasses() {
    List<HasMetadata> all = new ArrayList<>();
    for (boolean readOnly : List.of(true, false)) {
      for (int replicas : List.of(0, 1, 3)) {
        AppSpec spec =
            new AppSpec(
                Specs.ref("t" + replicas, "p", "a"),
                1 + replicas,
                "img",
                "sha256:" + "b".repeat(64),
                replicas,
                1024,
                new TreeMap<>(Map.of("A", "1")),
                10,
                16,
                "/healthz",
                1000,
                readOnly);
        all.addAll(renderer.render(spec));
      }
    }
    all.addAll(renderer.render(Specs.web()));
    assertThat(all).filteredOn(o -> o instanceof Deployment).hasSize(7);
    assertThat(RestrictedProfile.violations(all)).isEmpty();
  }

  @Test
  void findsWhatARelaxedPodDoesWrong() {
    PodSpec pod =
        new PodSpecBuilder()
            .withHostNetwork(true)
            .addNewVolume()
            .withName("host")
            .withNewHostPath()
            .withPath("/")
            .endHostPath()
            .endVolume()
            .addNewContainer()
            .withName("bad")
            .withNewSecurityContext()
            .withPrivileged(true)
            .withRunAsUser(0L)
            .withNewCapabilities()
            .withAdd("SYS_ADMIN")
            .endCapabilities()
            .endSecurityContext()
            .addNewPort()
            .withContainerPort(80)
            .withHostPort(80)
            .endPort()
            .endContainer()
            .build();
    assertThat(RestrictedProfile.violations(pod))
        .containsExactlyInAnyOrder(
            "host namespaces must not be shared (hostNetwork, hostPID, hostIPC)",
            "volume host has a disallowed type hostPath",
            "container bad must not be privileged",
            "container bad must set allowPrivilegeEscalation=false",
            "container bad must drop ALL capabilities",
            "container bad must not add capability SYS_ADMIN",
            "container bad must set runAsNonRoot=true (on the pod or the container)",
            "container bad runAsUser must not be 0",
            "container bad must use seccompProfile RuntimeDefault or Localhost",
            "container bad must not use hostPort 80");
  }

  @Test
  void eachRestrictedSettingOfTheRendererIsNeeded() {
    Deployment deployment = new DeploymentRenderer().render(Specs.web());
    String name = Specs.web().ref().appId() + "-v1";
    deployment.getSpec().getTemplate().getSpec().getSecurityContext().setRunAsNonRoot(null);
    deployment.getSpec().getTemplate().getSpec().getSecurityContext().setSeccompProfile(null);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    container.getSecurityContext().setRunAsNonRoot(null);
    container.getSecurityContext().setSeccompProfile(null);
    assertThat(RestrictedProfile.violations(List.of(deployment)))
        .containsExactlyInAnyOrder(
            "Deployment "
                + name
                + ": container app must set runAsNonRoot=true (on the pod or the container)",
            "Deployment "
                + name
                + ": container app must use seccompProfile RuntimeDefault or Localhost");
  }
}
