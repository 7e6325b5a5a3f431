package io.slipway.runtime.vm;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.PodmanRequests;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.render.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The names and bodies of the podman API calls {@link PodmanVms} makes (paths after {@code
 * /v4.0.0/libpod}). Pure, like {@code PodmanRequests}: every body is checked by a unit test.
 */
final class VmRequests {

  /** Marks a VM's container and volume (apps' containers carry a revision instead). */
  static final String KIND = "slipway.io/kind";

  static final String VM = "vm";

  /** Marks a VM's data disk's volume. */
  static final String VM_DATA = "vm-data";

  /** Marks the container that checks a tenant's image ({@link #diskCheckCreate}). */
  static final String DISK_CHECK = "vm-disk-check";

  /** The runner's check of a containerDisk (config/vm/runner/slipway-vm-check). */
  static final String DISK_CHECK_COMMAND = "/usr/local/bin/slipway-vm-check";

  /** What {@code qemu-img info} and a shell need, with room. */
  private static final long DISK_CHECK_MEMORY = 128L * 1024 * 1024;

  /** KubeVirt's qemu user, which owns containerDisks' files. */
  static final String QEMU_USER = "107:107";

  /**
   * Where the runner reads the guest's user-data: a podman secret mounted as a file only the qemu
   * user may read. Podman's inspect shows the secret's name and this path, never its content, as it
   * would an environment variable's (user-data holds SSH keys and start commands).
   */
  static final String USER_DATA_FILE = "/vm/seed/user-data";

  private static final long CPU_PERIOD_MICROS = 100_000;

  private final PodmanSettings settings;
  private final VmSettings vms;

  VmRequests(PodmanSettings settings, VmSettings vms) {
    this.settings = settings;
    this.vms = vms;
  }

  /** The VM's container: made from the app's id, like apps' containers, never from names. */
  String containerName(AppRef ref) {
    return settings.namePrefix() + ref.appId() + "-vm";
  }

  /** The VM's volume (overlay, seed, sockets): named as its container. */
  String volumeName(AppRef ref) {
    return containerName(ref);
  }

  /**
   * The VM's data disk's volume: apart from the VM's own, so that a VM deleted to be made again
   * with another spec can keep it. Removed with the app.
   */
  String dataVolumeName(AppRef ref) {
    return containerName(ref) + "-data";
  }

  /** The data disk's volume, marked as such: a sweep of VMs' volumes tells it apart. */
  Map<String, Object> dataVolumeCreate(AppRef ref) {
    Map<String, String> labels = new TreeMap<>(Labels.app(ref));
    labels.put(KIND, VM_DATA);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Name", dataVolumeName(ref));
    body.put("Label", labels);
    return body;
  }

  /**
   * The tenant's data disks' volumes, found by their labels: those kept by a VM's deletion belong
   * to no VM, and are the tenant's storage all the same.
   */
  String dataVolumesOf(String tenantId) {
    String filters =
        "{\"label\":[\""
            + KIND
            + "="
            + VM_DATA
            + "\",\""
            + Labels.TENANT_ID
            + "="
            + tenantId
            + "\"]}";
    return "/volumes/json?filters="
        + URLEncoder.encode(filters, StandardCharsets.UTF_8).replace("+", "%20");
  }

  String dataVolumeInspect(AppRef ref) {
    return "/volumes/" + dataVolumeName(ref) + "/json";
  }

  String dataVolumeRemove(AppRef ref) {
    return "/volumes/" + dataVolumeName(ref) + "?force=true";
  }

  /** The project's network, as the podman driver names it for apps. */
  String networkName(AppRef ref) {
    return new PodmanRequests(settings).networkName(ref.projectId());
  }

  Map<String, Object> volumeCreate(VmSpec spec) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Name", volumeName(spec.ref()));
    body.put("Label", labels(spec.ref()));
    return body;
  }

  /** The podman secret holding the VM's user-data while its container is made. */
  String secretName(AppRef ref) {
    return containerName(ref);
  }

  /** The secret's content: the user-data as it is; never logged, never in a create body. */
  static byte[] userData(VmSpec spec) {
    return spec.userData().getBytes(StandardCharsets.UTF_8);
  }

  String secretCreate(AppRef ref) {
    return PodmanRequests.secretCreate(secretName(ref));
  }

  String secretRemove(AppRef ref) {
    return PodmanRequests.secretRemove(secretName(ref));
  }

  String volumeInspect(AppRef ref) {
    return "/volumes/" + volumeName(ref) + "/json";
  }

  String volumeRemove(AppRef ref) {
    return "/volumes/" + volumeName(ref) + "?force=true";
  }

  String inspect(AppRef ref) {
    return "/containers/" + containerName(ref) + "/json";
  }

  String start(AppRef ref) {
    return "/containers/" + containerName(ref) + "/start";
  }

  /** SIGTERM, then SIGKILL after {@code seconds}: QEMU ends at once on SIGTERM. */
  String stop(AppRef ref, long seconds) {
    return "/containers/" + containerName(ref) + "/stop?timeout=" + seconds;
  }

  /** Answers once the container no longer runs. */
  String await(AppRef ref) {
    return "/containers/" + containerName(ref) + "/wait?condition=stopped&condition=exited";
  }

  String remove(AppRef ref) {
    return "/containers/" + containerName(ref) + "?force=true&timeout=0";
  }

  /**
   * The VM's container; {@code kvmGroup} is the group owning the host's {@code /dev/kvm}, which the
   * qemu user joins when the accelerator is KVM (unused under TCG). A spec with user-data names the
   * secret {@link #secretName} (made before this body is sent); one without has none.
   */
  Map<String, Object> containerCreate(VmSpec spec, Accelerator accelerator, int kvmGroup) {
    AppRef ref = spec.ref();
    // QEMU's own needs (its code, TCG's translation cache, device buffers) beside the guest's
    long memory = (spec.memoryMib() + (long) vms.qemuOverheadMib()) * 1024 * 1024;
    Map<String, String> env = new TreeMap<>();
    env.put("VM_NAME", spec.name());
    env.put("VM_ACCELERATOR", accelerator.qemuName());
    if (spec.hasDataDisk()) {
      env.put("VM_DATA_MIB", Integer.toString(spec.dataDiskMib()));
    }

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", containerName(ref));
    body.put("image", vms.runnerImage());
    body.put("labels", labels(ref));
    body.put("netns", Map.of("nsmode", "bridge"));
    body.put("Networks", Map.of(networkName(ref), Map.of()));
    body.put("cap_drop", List.of("ALL"));
    body.put("no_new_privileges", true);
    body.put("init", true);
    body.put("read_only_filesystem", true);
    body.put("user", QEMU_USER);
    // QEMU's hostfwd binds the exposed ports as the unprivileged qemu user, 22 and 80 too; the
    // setting is of the container's own network namespace
    body.put("sysctl", Map.of("net.ipv4.ip_unprivileged_port_start", "0"));
    body.put(
        "resource_limits",
        Map.of(
            "pids", Map.of("limit", settings.pidsLimit()),
            "memory", Map.of("limit", memory, "swap", memory),
            "cpu", Map.of("quota", spec.vcpus() * CPU_PERIOD_MICROS, "period", CPU_PERIOD_MICROS)));
    body.put(
        "mounts",
        List.of(
            Map.of(
                "destination", "/tmp",
                "type", "tmpfs",
                "source", "tmpfs",
                "options", List.of("rw", "nosuid", "nodev", "U"))));
    // U: the volume is the qemu user's, who makes the overlay and QEMU's sockets in it
    List<Map<String, Object>> volumes = new ArrayList<>();
    volumes.add(
        Map.of(
            "Name", volumeName(ref),
            "Dest", QemuCommand.STATE_DIR,
            "Options", List.of("rw", "nosuid", "nodev", "U")));
    if (spec.hasDataDisk()) {
      volumes.add(
          Map.of(
              "Name", dataVolumeName(ref),
              "Dest", QemuCommand.DATA_DIR,
              "Options", List.of("rw", "nosuid", "nodev", "U")));
    }
    body.put("volumes", volumes);
    body.put(
        "image_volumes",
        List.of(
            Map.of(
                "Source", spec.image(), "Destination", QemuCommand.IMAGE_DIR, "ReadWrite", false)));
    if (accelerator == Accelerator.KVM) {
      body.put("devices", List.of(Map.of("path", "/dev/kvm")));
      body.put("groups", List.of(Integer.toString(kvmGroup)));
    }
    if (!spec.userData().isEmpty()) {
      // podman refuses an empty secret: no user-data, no secret (the image's empty file stands)
      body.put(
          "secrets",
          List.of(
              Map.of(
                  "Source", secretName(ref),
                  "Target", USER_DATA_FILE,
                  "UID", 107,
                  "GID", 107,
                  "Mode", 0400)));
    }
    body.put("env", env);
    body.put("command", new ArrayList<>(QemuCommand.of(spec, accelerator)));
    return body;
  }

  /** The short-lived container that checks a tenant's image before a VM of it is made. */
  String diskCheckName(AppRef ref) {
    return containerName(ref) + "check";
  }

  /**
   * The container that runs the runner's {@code slipway-vm-check} on {@code image} (mounted
   * read-only where a VM's container mounts it) as the VM's user 107, so "readable by the VM" is
   * asked of the very user and tools that boot it: no network, no capabilities, a read-only root.
   * Labelled as the app's, with a kind of its own; one a crashed bridge left is removed by the
   * app's next check and by {@code PodmanVms.delete}.
   */
  Map<String, Object> diskCheckCreate(AppRef ref, String image) {
    Map<String, String> labels = new TreeMap<>(Labels.app(ref));
    labels.put(KIND, DISK_CHECK);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", diskCheckName(ref));
    body.put("image", vms.runnerImage());
    body.put("labels", labels);
    body.put("netns", Map.of("nsmode", "none"));
    body.put("cap_drop", List.of("ALL"));
    body.put("no_new_privileges", true);
    body.put("read_only_filesystem", true);
    body.put("user", QEMU_USER);
    body.put(
        "resource_limits",
        Map.of(
            "pids", Map.of("limit", settings.pidsLimit()),
            "memory", Map.of("limit", DISK_CHECK_MEMORY, "swap", DISK_CHECK_MEMORY)));
    body.put(
        "image_volumes",
        List.of(Map.of("Source", image, "Destination", QemuCommand.IMAGE_DIR, "ReadWrite", false)));
    body.put("entrypoint", List.of(DISK_CHECK_COMMAND));
    return body;
  }

  private static Map<String, String> labels(AppRef ref) {
    Map<String, String> labels = new TreeMap<>(Labels.app(ref));
    labels.put(KIND, VM);
    return labels;
  }
}
