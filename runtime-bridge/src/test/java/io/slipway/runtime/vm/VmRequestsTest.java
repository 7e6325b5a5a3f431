package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.PodmanSettings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmRequestsTest {

  private final VmRequests requests =
      new VmRequests(
          new PodmanSettings("slipway-", 128, Duration.ofSeconds(3)), VmSettings.defaults());
  private final AppRef ref = Specs.ref("acme", "shop", "db");
  private final VmSpec spec =
      new VmSpec(ref, 2, 512, "localhost/acme/disk:1", "#cloud-config\n", List.of(8080));

  @Test
  void namesTheContainerAndVolumeAfterTheAppsIdNeverItsNames() {
    assertThat(requests.containerName(ref)).isEqualTo("slipway-" + ref.appId() + "-vm");
    assertThat(requests.volumeName(ref)).isEqualTo(requests.containerName(ref));
    assertThat(requests.containerName(ref)).doesNotContain("acme", "shop", "db");
    // two VMs of the same names in other tenants get their own objects
    assertThat(requests.containerName(Specs.ref("other", "shop", "db")))
        .isNotEqualTo(requests.containerName(ref));
  }

  @Test
  @SuppressWarnings("unchecked")
  void createsAHardenedLimitedContainerOnTheProjectNetworkUnderTcg() {
    Map<String, Object> body = requests.containerCreate(spec, Accelerator.TCG, 993);

    assertThat(body)
        .containsEntry("name", "slipway-" + ref.appId() + "-vm")
        .containsEntry("image", "localhost/slipway/vm/runner:4")
        .containsEntry("netns", Map.of("nsmode", "bridge"))
        .containsEntry("Networks", Map.of("slipway-" + ref.projectId(), Map.of()))
        .containsEntry("cap_drop", List.of("ALL"))
        .containsEntry("no_new_privileges", true)
        .containsEntry("read_only_filesystem", true)
        .containsEntry("init", true)
        .containsEntry("user", "107:107")
        .containsEntry("command", QemuCommand.of(spec, Accelerator.TCG))
        .doesNotContainKeys("devices", "groups", "privileged", "portmappings");
    long memory = (512 + 256) * 1024L * 1024L;
    assertThat(body)
        .containsEntry(
            "resource_limits",
            Map.of(
                "pids", Map.of("limit", 128),
                "memory", Map.of("limit", memory, "swap", memory),
                "cpu", Map.of("quota", 200_000L, "period", 100_000L)));
    assertThat((Map<String, String>) body.get("labels"))
        .containsEntry("app.kubernetes.io/managed-by", "slipway")
        .containsEntry("slipway.io/tenant-id", ref.tenantId())
        .containsEntry("slipway.io/project-id", ref.projectId())
        .containsEntry("slipway.io/app-id", ref.appId())
        .containsEntry("slipway.io/kind", "vm")
        // no revision: the apps' reconciler never takes a VM for an orphaned instance
        .doesNotContainKey("slipway.io/revision");
    assertThat(body)
        .containsEntry(
            "image_volumes",
            List.of(
                Map.of(
                    "Source",
                    "localhost/acme/disk:1",
                    "Destination",
                    "/vm/image",
                    "ReadWrite",
                    false)))
        .containsEntry(
            "volumes",
            List.of(
                Map.of(
                    "Name",
                    "slipway-" + ref.appId() + "-vm",
                    "Dest",
                    "/run/vm",
                    "Options",
                    List.of("rw", "nosuid", "nodev", "U"))));
    assertThat((Map<String, String>) body.get("env"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("VM_NAME", "db", "VM_ACCELERATOR", "tcg"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDataDiskIsAVolumeOfItsOwnMountedBesideTheVmsWithItsSize() {
    VmSpec withData = new VmSpec(ref, 1, 256, "localhost/acme/disk:1", "", List.of(), 2048);
    Map<String, Object> body = requests.containerCreate(withData, Accelerator.TCG, 0);

    assertThat(requests.dataVolumeName(ref)).isEqualTo("slipway-" + ref.appId() + "-vm-data");
    assertThat((List<Map<String, Object>>) body.get("volumes"))
        .extracting(volume -> volume.get("Name") + " " + volume.get("Dest"))
        .containsExactly(
            "slipway-" + ref.appId() + "-vm /run/vm",
            "slipway-" + ref.appId() + "-vm-data /run/vm-data");
    assertThat((Map<String, String>) body.get("env")).containsEntry("VM_DATA_MIB", "2048");
    assertThat((Map<String, String>) requests.dataVolumeCreate(ref).get("Label"))
        .containsEntry("slipway.io/app-id", ref.appId())
        .containsEntry("slipway.io/kind", "vm-data");
    assertThat(requests.dataVolumeRemove(ref))
        .isEqualTo("/volumes/slipway-" + ref.appId() + "-vm-data?force=true");
    // a tenant's data disks are found by its id, never by a name it chose
    assertThat(URLDecoder.decode(requests.dataVolumesOf(ref.tenantId()), StandardCharsets.UTF_8))
        .isEqualTo(
            "/volumes/json?filters={\"label\":[\"slipway.io/kind=vm-data\",\"slipway.io/tenant-id="
                + ref.tenantId()
                + "\"]}");
  }

  @Test
  void theUserDataIsASecretFileOnlyTheQemuUserReadsNeverInTheBody() {
    VmSpec secret =
        new VmSpec(ref, 1, 256, "localhost/acme/disk:1", "#cloud-config\n# key-42\n", List.of());
    Map<String, Object> body = requests.containerCreate(secret, Accelerator.TCG, 0);

    assertThat(body)
        .containsEntry(
            "secrets",
            List.of(
                Map.of(
                    "Source", "slipway-" + ref.appId() + "-vm",
                    "Target", "/vm/seed/user-data",
                    "UID", 107,
                    "GID", 107,
                    "Mode", 0400)));
    assertThat(body.toString()).doesNotContain("key-42");
    assertThat(VmRequests.userData(secret)).asString().isEqualTo("#cloud-config\n# key-42\n");
    assertThat(requests.secretCreate(ref))
        .isEqualTo("/secrets/create?name=slipway-" + ref.appId() + "-vm");
    assertThat(requests.secretRemove(ref)).isEqualTo("/secrets/slipway-" + ref.appId() + "-vm");
  }

  @Test
  void noUserDataNoSecret() {
    VmSpec none = new VmSpec(ref, 1, 256, "localhost/acme/disk:1", "", List.of());
    assertThat(requests.containerCreate(none, Accelerator.TCG, 0)).doesNotContainKey("secrets");
  }

  @Test
  void passesKvmAndItsGroupOnlyUnderKvm() {
    Map<String, Object> body = requests.containerCreate(spec, Accelerator.KVM, 993);
    assertThat(body)
        .containsEntry("devices", List.of(Map.of("path", "/dev/kvm")))
        .containsEntry("groups", List.of("993"))
        .containsEntry("command", QemuCommand.of(spec, Accelerator.KVM));
  }

  @Test
  void theVolumeIsLabelledAsTheContainer() {
    assertThat(requests.volumeCreate(spec))
        .containsEntry("Name", "slipway-" + ref.appId() + "-vm")
        .containsEntry(
            "Label",
            Map.of(
                "app.kubernetes.io/managed-by", "slipway",
                "slipway.io/tenant-id", ref.tenantId(),
                "slipway.io/project-id", ref.projectId(),
                "slipway.io/tenant", "acme",
                "slipway.io/project", "shop",
                "slipway.io/app-id", ref.appId(),
                "slipway.io/app", "db",
                "slipway.io/host", ref.hostLabel(),
                "slipway.io/kind", "vm"));
    assertThat(requests.stop(ref, 0)).endsWith("/stop?timeout=0");
  }

  @Test
  @SuppressWarnings("unchecked")
  void checksATenantsImageWithTheRunnersOwnCheckAsTheVmsUserWithNothingElse() {
    String image = "localhost/acme/disk@sha256:" + "a".repeat(64);
    Map<String, Object> body = requests.diskCheckCreate(ref, image);

    assertThat(body)
        .containsEntry("name", "slipway-" + ref.appId() + "-vmcheck")
        .containsEntry("image", "localhost/slipway/vm/runner:4")
        .containsEntry("entrypoint", List.of("/usr/local/bin/slipway-vm-check"))
        .containsEntry("netns", Map.of("nsmode", "none"))
        .containsEntry("cap_drop", List.of("ALL"))
        .containsEntry("no_new_privileges", true)
        .containsEntry("read_only_filesystem", true)
        .containsEntry("user", "107:107")
        .containsEntry(
            "image_volumes",
            List.of(Map.of("Source", image, "Destination", "/vm/image", "ReadWrite", false)))
        .doesNotContainKeys("command", "Networks", "volumes", "secrets", "devices", "privileged");
    assertThat((Map<String, String>) body.get("labels"))
        .containsEntry("slipway.io/kind", "vm-disk-check")
        .containsEntry("slipway.io/tenant-id", ref.tenantId());
  }
}
