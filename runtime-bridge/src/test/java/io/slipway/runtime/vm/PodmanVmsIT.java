package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.admission.ImageRefusedException;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.Nft;
import io.slipway.runtime.podman.PodmanApi;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanRunner;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.podman.ProjectFirewall;
import io.slipway.runtime.podman.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A VM of the platform's Debian guest image, booted under TCG (this machine kind has no KVM) by
 * QEMU in the runner image, through the podman REST API: reached over HTTP, stopped through QMP,
 * deleted without a trace. Needs the images ./slipway test builds (scripts/images.sh:
 * ensure_vm_images).
 */
class PodmanVmsIT {

  private static final PodmanSettings SETTINGS =
      new PodmanSettings(TestImages.PREFIX, 64, Duration.ZERO);
  private static final ProjectFirewall FIREWALL =
      new ProjectFirewall(
          "slwtest_vm_" + UUID.randomUUID().toString().substring(0, 8),
          new Nft("nft"),
          project -> false);
  private static final PodmanApi API = TestImages.API;
  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNsaXB3YXktdGVzdC1rZXk tester";

  private final PodmanDriver driver = new PodmanDriver(SETTINGS, API, FIREWALL);
  private final PodmanVms vms = vms(Duration.ofSeconds(30));
  private final AppRef ref =
      Specs.ref(
          "t" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36),
          "p",
          "vm");

  @AfterEach
  void removeWhatTheTestMade() {
    vms.delete(ref);
    driver.removeProjectNetwork(ref);
  }

  @AfterAll
  static void removeFirewall() {
    FIREWALL.removeTable();
  }

  @Test
  void bootsTheDebianGuestServesItsStartCommandOverHttpPowersOffAndLeavesNothing()
      throws Exception {
    String image = VmSettings.DEBIAN_IMAGE;
    JsonNode before = imageJson(image);
    String userData =
        """
        #cloud-config
        hostname: from-seed
        users:
          - name: dev
            ssh_authorized_keys:
              - %s
        runcmd:
          - echo boot >> /var/boots
          - mkdir -p /srv && echo "hello from $(hostname), boot $(wc -l < /var/boots)" > /srv/index.html
          - cp /home/dev/.ssh/authorized_keys /srv/keys
          - 'busybox httpd -p 8080 -h /srv'
        """
            .formatted(KEY);
    VmSpec spec = new VmSpec(ref, 1, 256, image, userData, List.of(8080));

    long started = System.nanoTime();
    vms.start(spec);
    VmStatus ready =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> vms.status(ref), VmStatus::guestReady);
    double readyAfter = seconds(started);
    String address = vms.address(ref, 8080).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> GuestHttp.get(address, "/"),
            body -> body.equals("hello from from-seed, boot 1\n"));
    System.out.printf(
        "VM boot -> ready %.2f s (guest uptime %.2f s), boot -> HTTP %.2f s, under TCG%n",
        readyAfter, ready.readyAfterSeconds().orElseThrow(), seconds(started));

    assertThat(GuestHttp.get(address, "/keys")).isEqualTo(KEY + "\n");
    VmStatus running = vms.status(ref);
    assertThat(running.state()).isEqualTo(VmStatus.State.RUNNING);
    assertThat(running.accelerator()).contains(Accelerator.TCG);
    assertThat(running.qemuState()).contains("running");
    assertThat(runnerLog()).contains("accelerator tcg");
    assertHardened();
    assertUserDataNotVisible(userData);
    // starting what runs changes nothing
    vms.start(spec);
    assertThat(vms.address(ref, 8080)).contains(address);

    assertThat(vms.stop(ref)).isEqualTo(PodmanVms.Stopped.POWERED_OFF);
    VmStatus stopped = vms.status(ref);
    assertThat(stopped.state()).isEqualTo(VmStatus.State.STOPPED);
    assertThat(stopped.exitCode()).contains(0);
    assertThat(vms.stop(ref)).isEqualTo(PodmanVms.Stopped.NOT_RUNNING);

    // started again: the same disk (the overlay kept what the first boot wrote), a fresh seed
    vms.start(spec);
    String again =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> vms.address(ref, 8080), Optional::isPresent)
            .orElseThrow();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> GuestHttp.get(again, "/"), body -> body.equals("hello from from-seed, boot 2\n"));

    Path volume = vms.stateDir(ref);
    assertThat(volume.resolve("overlay.qcow2")).exists();
    vms.delete(ref);
    assertThat(vms.status(ref).state()).isEqualTo(VmStatus.State.ABSENT);
    assertThat(API.get("/containers/" + TestImages.PREFIX + ref.appId() + "-vm/exists").status())
        .isEqualTo(404);
    assertThat(API.get("/volumes/" + TestImages.PREFIX + ref.appId() + "-vm/exists").status())
        .isEqualTo(404);
    assertThat(Files.exists(volume)).isFalse();
    assertThat(API.get("/secrets/" + TestImages.PREFIX + ref.appId() + "-vm/json").status())
        .isEqualTo(404);
    JsonNode after = imageJson(image);
    assertThat(after.path("Id").asString()).isEqualTo(before.path("Id").asString());
    assertThat(after.path("Digest").asString()).isEqualTo(before.path("Digest").asString());
  }

  @Test
  void aGuestThatIgnoresThePowerButtonIsEndedByQmpQuitAfterTheGrace() {
    PodmanVms impatient = vms(Duration.ofSeconds(2));
    String userData =
        """
        #cloud-config
        runcmd:
          - busybox killall acpid
        """;
    impatient.start(new VmSpec(ref, 1, 192, VmSettings.DEBIAN_IMAGE, userData, List.of()));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> impatient.status(ref), VmStatus::guestReady);

    long stopping = System.nanoTime();
    assertThat(impatient.stop(ref)).isEqualTo(PodmanVms.Stopped.QUIT);
    assertThat(seconds(stopping)).isBetween(2.0, 15.0);
    assertThat(impatient.status(ref).state()).isEqualTo(VmStatus.State.STOPPED);
  }

  @Test
  void anotherTenantsImageIsRefusedBeforeAnythingIsMade() {
    String foreign = "localhost/" + Specs.ref("other", "p", "vm").tenantId() + "/disk:1";
    for (String image : List.of(foreign, "localhost/slipway/stacks/static:1")) {
      assertThatThrownBy(() -> vms.start(new VmSpec(ref, 1, 192, image, "", List.of())))
          .isInstanceOf(ImageRefusedException.class);
    }
    assertThat(vms.status(ref).state()).isEqualTo(VmStatus.State.ABSENT);
    assertThat(API.get("/volumes/" + TestImages.PREFIX + ref.appId() + "-vm/exists").status())
        .isEqualTo(404);
  }

  @Test
  void aDiskThatNamesAFileOfItsOwnIsNeverBooted(@TempDir Path dir) throws Exception {
    // a containerDisk whose qcow2 names a file of the runner's as its backing file: QEMU would
    // open that file through it (here the runner's /etc/passwd)
    String image = VmSettings.IMAGE_PREFIX + "slwtest-backed-" + ref.appId() + ":1";
    Files.writeString(
        dir.resolve("Containerfile"),
        "FROM "
            + VmSettings.RUNNER_IMAGE
            + " AS make\n"
            + "RUN qemu-img create -q -f qcow2 -b /etc/passwd -F raw /tmp/backed.qcow2\n"
            + "FROM scratch\n"
            + "COPY --from=make /tmp/backed.qcow2 /disk/backed.qcow2\n");
    PodmanRunner podman = new PodmanRunner(Duration.ofSeconds(120));
    podman.run(List.of("build", "-q", "--pull=never", "-t", image, dir.toString()));
    try {
      vms.start(new VmSpec(ref, 1, 192, image, "", List.of()));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> vms.status(ref).state() == VmStatus.State.STOPPED);
      assertThat(vms.status(ref).exitCode()).contains(65);
      assertThat(vms.status(ref).guestReady()).isFalse();
    } finally {
      vms.delete(ref);
      podman.attempt(List.of("rmi", "-f", image));
    }
  }

  /** VMs under TCG whatever the host has (no such device), with this power-off grace. */
  private PodmanVms vms(Duration powerdownGrace) {
    return new PodmanVms(
        API,
        driver,
        SETTINGS,
        new VmProperties(
                VmSettings.RUNNER_IMAGE,
                VmSettings.DEBIAN_IMAGE,
                VmSettings.IMAGE_PREFIX,
                powerdownGrace,
                Duration.ofSeconds(10),
                256,
                Path.of("/nonexistent/kvm"))
            .settings("localhost"));
  }

  /** What podman made of the body: the limits and hardening apps' containers have. */
  private void assertHardened() {
    JsonNode container =
        API.require("GET", "/containers/" + TestImages.PREFIX + ref.appId() + "-vm/json", null)
            .json();
    JsonNode host = container.path("HostConfig");
    assertThat(host.path("Memory").asLong()).isEqualTo((256L + 256) * 1024 * 1024);
    assertThat(host.path("ReadonlyRootfs").asBoolean()).isTrue();
    assertThat(host.path("Privileged").asBoolean()).isFalse();
    assertThat(host.path("CapAdd")).isEmpty();
    assertThat(host.path("Devices")).isEmpty();
    assertThat(container.path("Config").path("User").asString()).isEqualTo("107:107");
    assertThat(container.path("EffectiveCaps")).isEmpty();
  }

  /**
   * Whoever may inspect the container reads no part of the user-data (its SSH key, its start
   * commands): not in its environment, labels, command or anywhere else podman shows; and podman's
   * secret store keeps none of it once the container is made.
   */
  private void assertUserDataNotVisible(String userData) {
    String inspected =
        new String(
            API.require("GET", "/containers/" + TestImages.PREFIX + ref.appId() + "-vm/json", null)
                .body(),
            StandardCharsets.UTF_8);
    assertThat(inspected).doesNotContain(KEY, "busybox httpd", "from-seed", "cloud-config");
    String encoded = Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8));
    assertThat(inspected).doesNotContain(encoded.substring(0, 40));
    assertThat(API.get("/secrets/" + TestImages.PREFIX + ref.appId() + "-vm/json").status())
        .isEqualTo(404);
  }

  /** The container's own output (the runner's lines), as podman keeps it. */
  private String runnerLog() {
    String path = "/containers/" + TestImages.PREFIX + ref.appId() + "-vm/logs?stdout=true";
    return new String(API.require("GET", path, null).body(), StandardCharsets.UTF_8);
  }

  private static JsonNode imageJson(String image) {
    PodmanApi.Response response = API.get("/images/" + image + "/json");
    assertThat(response.status())
        .as("the image %s (./slipway test builds it: scripts/images.sh ensure_vm_images)", image)
        .isEqualTo(200);
    return response.json();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
