package io.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The governance volume: build-service keeps its private keyring and the advisories on a persistent
 * claim; no other service mounts it (runtime-bridge asks build-service for the public keys and the
 * advisories over its API).
 */
class GovernanceVolumeTest {

  private static final String CLAIM = "slipway-governance";

  @Test
  void buildServiceKeepsTheKeyringAndAdvisoriesOnThePersistentClaim() {
    Rendered chart = Rendered.with(Map.of());
    PodSpec pod = pod(chart, "build-service");
    Container container = pod.getContainers().getFirst();

    assertThat(claimOf(pod)).hasValue(CLAIM);
    List<VolumeMount> mounts = governanceMounts(container);
    assertThat(mounts).hasSize(1);
    assertThat(mounts.getFirst().getMountPath()).isEqualTo("/var/lib/slipway/governance");
    assertThat(mounts.getFirst().getSubPath()).isNull();
    assertThat(mounts.getFirst().getReadOnly()).isNotEqualTo(Boolean.TRUE);
    assertThat(env(container, "SLIPWAY_BUILD_GOVERNANCE_KEYS_DIR"))
        .isEqualTo("/var/lib/slipway/governance/keys");
    assertThat(env(container, "SLIPWAY_BUILD_GOVERNANCE_ADVISORIES_DIR"))
        .isEqualTo("/var/lib/slipway/governance/advisories");
    assertThat(env(container, "SLIPWAY_BUILD_REGISTRY_URL"))
        .as("images and their signatures go to the chart's registry")
        .isEqualTo("registry.example.com/slipway-apps");

    PersistentVolumeClaim claim = chart.named(PersistentVolumeClaim.class, CLAIM).orElseThrow();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("1Gi");
    assertThat(claim.getSpec().getStorageClassName()).isNull();
    assertThat(claim.getMetadata().getAnnotations())
        .as("an uninstall keeps the keys")
        .containsEntry("helm.sh/resource-policy", "keep");
  }

  /**
   * Issue 20, one owner per piece of data: runtime-bridge asks build-service for the public keys
   * and the advisories over its API, so only build-service mounts the volume.
   */
  @Test
  void noOtherServiceMountsTheGovernanceVolume() {
    Rendered chart = Rendered.with(Map.of());
    for (String service : List.of("tenant-service", "runtime-bridge", "portal")) {
      PodSpec pod = pod(chart, service);
      assertThat(claimOf(pod)).as(service).isEmpty();
      assertThat(pod.getAffinity()).as(service + " needs no co-location").isNull();
      assertThat(pod.getContainers().getFirst().getEnv())
          .extracting(EnvVar::getName)
          .as(service + " is pointed at no folder of build-service's")
          .noneMatch(name -> name.endsWith("_DIR") && name.contains("GOVERNANCE"))
          .doesNotContain(
              "SLIPWAY_RUNTIME_ADMISSION_TRUSTED_KEYS_DIR",
              "SLIPWAY_RUNTIME_ADMISSION_ADVISORIES_DIR");
    }
  }

  /**
   * With the default fsGroupChangePolicy (Always) the kubelet would add group read to every file at
   * each pod start, and build-service refuses a private key others can read.
   */
  @Test
  void thePodMountingTheVolumeKeepsFileModes() {
    Rendered chart = Rendered.with(Map.of());
    assertThat(pod(chart, "build-service").getSecurityContext().getFsGroupChangePolicy())
        .isEqualTo("OnRootMismatch");
  }

  @Test
  void aReadWriteOnceVolumeIsSizedAndClassedAsAsked() {
    Rendered chart =
        Rendered.with(
            Map.of(
                "governance.persistence.accessMode", "ReadWriteOnce",
                "governance.persistence.size", "5Gi",
                "governance.persistence.storageClass", "fast-ssd"));

    PersistentVolumeClaim claim = chart.named(PersistentVolumeClaim.class, CLAIM).orElseThrow();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("5Gi");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
    assertThat(pod(chart, "runtime-bridge").getAffinity())
        .as("runtime-bridge does not mount it: no reason to share build-service's node")
        .isNull();
  }

  @Test
  void anExistingClaimIsUsedAndNoneIsCreated() {
    Rendered chart = Rendered.with(Map.of("governance.persistence.existingClaim", "restored-keys"));

    assertThat(chart.all(PersistentVolumeClaim.class)).isEmpty();
    assertThat(claimOf(pod(chart, "build-service"))).hasValue("restored-keys");
    assertThat(claimOf(pod(chart, "runtime-bridge"))).isEmpty();
  }

  /** The variables the chart sets are the ones the services read (the configuration reference). */
  @Test
  void theGovernanceVariablesAreDocumentedConfigurationKeys() throws IOException {
    String reference = Files.readString(Path.of("../docs/configuration.md"));
    Rendered chart = Rendered.with(Map.of());
    for (String service : List.of("build-service", "runtime-bridge")) {
      pod(chart, service).getContainers().getFirst().getEnv().stream()
          .map(EnvVar::getName)
          .filter(
              name ->
                  name.contains("GOVERNANCE")
                      || name.contains("ADMISSION")
                      || name.startsWith("SLIPWAY_BUILD_REGISTRY"))
          .forEach(name -> assertThat(reference).as(name).contains("`" + name + "`"));
    }
  }

  static Stream<Map<String, Object>> badValues() {
    return Stream.of(
        Map.of("governance.persistence.accessMode", "ReadOnlyMany"),
        Map.of("governance.persistence.size", "lots"),
        Map.of("governance.persistence.existingClaim", "Not_A_Name"),
        Map.of("governance.persistence.storageClass", "Fast SSD"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badGovernanceValuesAreRefused(Map<String, Object> values) {
    assertThatThrownBy(() -> Rendered.with(values))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  private static PodSpec pod(Rendered chart, String service) {
    return chart
        .named(Deployment.class, "slipway-" + service)
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static Optional<String> claimOf(PodSpec pod) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals("governance"))
        .map(Volume::getPersistentVolumeClaim)
        .map(claim -> claim.getClaimName())
        .findFirst();
  }

  private static List<VolumeMount> governanceMounts(Container container) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getName().equals("governance"))
        .toList();
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not set"));
  }
}
