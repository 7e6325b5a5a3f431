package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.vm.PodmanVms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's own VM image (issue 23, docs/vms.md "Which images a VM may boot"), through the API
 * with the real tenant-service, Keycloak, podman and image admission. The image is made with
 * buildah as build-service names a build ({@code <build prefix>/<tenant id>/<project id>/<app id>})
 * from a Containerfile on the platform's guest image, and attested by the tests' stand-in of
 * build-service (GovernanceFixture: a real SBOM of the image and a real signature of its digest
 * with the platform's test key): the admission under test is the bridge's, and a whole build
 * through build-service would add minutes without exercising more of it. The tenant's policy
 * requiring a signature refuses the image while it is unsigned, with the policy's own reason, then
 * admits it signed, and it boots as the tenant's VM. Another tenant naming it, by name, by digest
 * under a repository of its own or the platform's, or by image id, is refused in exactly the words
 * a made-up reference of the same shape gets. Images that are no containerDisk are refused naming
 * what is wrong, before anything is made.
 */
class VmImageIT extends ApiFixture {

  private static final Duration BOOT = Duration.ofSeconds(120);
  private static final String SIGNED_ONLY =
      "{\"requireSigned\":true,\"allowedRegistries\":[\"*\"],\"maxSeverity\":\"CRITICAL\"}";
  private static final String MADE_UP = "sha256:" + "0123456789abcdef".repeat(4);

  @Autowired PodmanVms podmanVms;

  private final String vm = appPath + "/vm";
  private final String otherTenant = "rt2-" + suffix;
  private final String otherVm = "/api/v1/tenants/" + otherTenant + "/projects/web/apps/site/vm";
  private final List<String> images = new ArrayList<>();

  @AfterEach
  void tearDown() {
    jdbc.sql("delete from image_policy").update();
    images.forEach(image -> PODMAN.attempt(List.of("rmi", "-f", image)));
    forgetTenant();
  }

  @Test
  void theTenantsOwnSignedImageBootsAndNoOtherTenantCanNameIt() throws Exception {
    String alice = aliceWithApp();
    String bob = user("bob");
    tenantWithSite(bob, otherTenant);
    AppRef ref = site(alice);
    AppRef bobs = tenants.requireAccess(otherTenant, "web", "site", bob, false);
    String repository = repository(ref);
    String tag =
        build(
            repository + ":vm-" + suffix,
            // an image of its own (a FROM alone would be the platform's image by a second name)
            "FROM localhost/slipway/vm/debian:1\nLABEL io.slipway.test.vm=" + suffix + "\n");
    String digest = digest(tag);
    String image = repository + "@" + digest;
    String id =
        PODMAN.run(List.of("image", "inspect", "--format", "{{.Id}}", tag)).stdout().strip();
    try {
      // the tenant's policy asks for a signature: its own unsigned build is refused for it
      bridge(alice, "PUT", "/api/v1/tenants/" + tenant + "/image-policy", SIGNED_ONLY, 200);
      JsonNode unsigned = bridge(alice, "PUT", vm, spec(image), 422);
      assertThat(unsigned.path("type").asString()).endsWith("/image-refused");
      assertThat(reasons(unsigned)).containsExactly("image is not signed by the platform key");
      assertNothingMade(ref);

      // signed by the platform as build-service signs every build: admitted and booted
      assertThat(GovernanceFixture.attest(tag, GovernanceFixture.PLATFORM)).isEqualTo(digest);
      JsonNode made = bridge(alice, "PUT", vm, spec(image), 201);
      assertThat(made.path("image").asString()).isEqualTo(image);
      JsonNode ready =
          await()
              .atMost(BOOT)
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> bridge(alice, "GET", vm, null, 200),
                  view -> view.path("ready").asBoolean());
      assertThat(ready.path("accelerator").asString()).isEqualTo("TCG");
      // the container boots exactly the admitted image
      assertThat(
              PODMAN
                  .run(
                      List.of(
                          "inspect",
                          "--format",
                          "{{range .Mounts}}{{if eq .Type \"image\"}}{{.Source}}{{end}}{{end}}",
                          TestImages.PREFIX + ref.appId() + "-vm"))
                  .stdout()
                  .strip())
          .isEqualTo(image);

      // another tenant: each hostile reference refused as a made-up one of its shape is
      String aliceBuilds = GovernanceFixture.BUILD_IMAGE_PREFIX + "/" + ref.tenantId() + "/";
      String bobBuilds = GovernanceFixture.BUILD_IMAGE_PREFIX + "/" + bobs.tenantId() + "/";
      Map<String, String> hostile =
          Map.of(
              image,
              aliceBuilds + "p/a@" + MADE_UP,
              tag + "@" + digest,
              aliceBuilds + "p/a:1@" + MADE_UP,
              bobBuilds + "web/site@" + digest,
              bobBuilds + "web/site@" + MADE_UP,
              bobBuilds + repository.substring(aliceBuilds.length()) + "@" + digest,
              bobBuilds + "p/a@" + MADE_UP,
              "localhost/slipway/vm/debian@" + digest,
              "localhost/slipway/vm/debian@" + MADE_UP,
              id,
              MADE_UP.substring("sha256:".length()),
              id.substring(0, 12),
              "0123456789ab",
              "sha256:" + id,
              MADE_UP);
      for (Map.Entry<String, String> pair : hostile.entrySet()) {
        JsonNode theirs = bridge(bob, "PUT", otherVm, spec(pair.getKey()), 422);
        JsonNode madeUp = bridge(bob, "PUT", otherVm, spec(pair.getValue()), 422);
        assertThat(theirs.path("type").asString()).endsWith("/image-refused");
        assertThat(words(theirs, pair.getKey()))
            .as(pair.getKey())
            .isEqualTo(words(madeUp, pair.getValue()));
        // nothing of alice's beyond what bob typed himself
        assertThat(theirs.has("digest")).as(pair.getKey()).isFalse();
        assertThat(words(theirs, pair.getKey())).doesNotContain(ref.tenantId());
        if (!pair.getKey().contains(digest)) {
          assertThat(theirs.toString()).doesNotContain(digest.substring(7, 19));
        }
      }
      // a digest cut short is no reference at all: 400, the same for hers and a made-up one
      String cut = repository + "@" + digest.substring(0, 19);
      String madeUpCut = aliceBuilds + "p/a@sha256:0123456789ab";
      assertThat(words(bridge(bob, "PUT", otherVm, spec(cut), 400), cut))
          .isEqualTo(words(bridge(bob, "PUT", otherVm, spec(madeUpCut), 400), madeUpCut));
      assertNothingMade(bobs);
      assertThat(bridge(alice, "GET", vm, null, 200).path("state").asString()).isEqualTo("RUNNING");

      bridge(alice, "DELETE", vm, null, 204);
      assertNothingMade(ref);
    } finally {
      podmanVms.delete(ref);
      podmanVms.delete(bobs);
    }
  }

  @Test
  void anImageThatIsNoContainerDiskIsRefusedNamingWhatIsWrong() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    String repository = repository(ref);
    Path raw = Files.createTempFile("vmimg", ".img");
    Files.write(raw, new byte[1024 * 1024]);
    // COPY --from the image itself, never a stage of it alone: buildah 1.28 keeps a working
    // container of such a stage, and with --force-rm it removes the guest image itself
    String from = "FROM scratch\n";
    String boot = "COPY --from=localhost/slipway/vm/debian:1 /boot /boot\n";
    Map<String, String> refusals =
        Map.of(
            "FROM scratch\nCOPY busybox /bin/busybox\n",
            "no disk under /disk/ in the image",
            "FROM localhost/slipway/vm/debian:1\nCOPY --chown=107:107 disk.img /disk/extra.img\n",
            "2 entries under /disk/ in the image: a containerDisk holds exactly one disk there",
            from + boot + "COPY --chmod=600 disk.img /disk/disk.img\n",
            "/disk/disk.img in the image cannot be read by the VM's user 107",
            from + "COPY --from=localhost/slipway/vm/debian:1 /disk /disk\n",
            "no kernel at /boot/vmlinuz with /boot/initrd.img in the image",
            made("qemu-img create -q -f qcow2 -F raw -b /etc/passwd /tmp/d.qcow2", "d.qcow2"),
            "/disk/d.qcow2 names a backing or data file of its own",
            made("qemu-img create -q -f vmdk /tmp/d.vmdk 1M", "d.vmdk"),
            "/disk/d.vmdk in the image is vmdk, not qcow2 or raw");
    try {
      int n = 0;
      for (Map.Entry<String, String> refusal : refusals.entrySet()) {
        String tag = build(repository + ":bad" + n++, refusal.getKey(), raw);
        String image = repository + "@" + digest(tag);
        JsonNode problem = bridge(alice, "PUT", vm, spec(image), 422);
        assertThat(problem.path("type").asString()).endsWith("/image-refused");
        assertThat(reasons(problem))
            .as(refusal.getKey())
            .singleElement()
            .asString()
            .startsWith(refusal.getValue());
        assertNothingMade(ref);
      }
      // a raw disk is a disk: admitted (and not booted here: the check is what is under test)
      String rawImage =
          build(
              repository + ":raw",
              from + boot + "COPY --chown=107:107 disk.img /disk/disk.img\n",
              raw);
      assertThat(podmanVms.diskProblem(ref, repository + "@" + digest(rawImage))).isEmpty();
      assertThat(PODMAN.attempt(List.of("container", "exists", checkContainer(ref))).exitCode())
          .isNotZero();
    } finally {
      Files.deleteIfExists(raw);
      podmanVms.delete(ref);
    }
  }

  /**
   * A containerDisk whose disk {@code command} makes as {@code /tmp/<disk>} with the runner's own
   * qemu-img, in a build stage: a backing file of the runner's, a format QEMU reads but the runner
   * does not take.
   */
  private static String made(String command, String disk) {
    return "FROM localhost/slipway/vm/runner:4 AS make\n"
        + "RUN "
        + command
        + "\nFROM scratch\nCOPY --from=localhost/slipway/vm/debian:1 /boot /boot\n"
        + "COPY --from=make --chown=107:107 /tmp/"
        + disk
        + " /disk/"
        + disk
        + "\n";
  }

  /**
   * Where build-service puts the builds of alice's app: {@code <prefix>/<tenant>/<project>/<app>}.
   */
  private static String repository(AppRef ref) {
    return GovernanceFixture.BUILD_IMAGE_PREFIX
        + "/"
        + ref.tenantId()
        + "/"
        + ref.projectId()
        + "/"
        + ref.appId();
  }

  private String build(String tag, String containerfile) {
    return build(tag, containerfile, null);
  }

  /** Builds {@code containerfile} as {@code tag}, with busybox and {@code disk} in its context. */
  private String build(String tag, String containerfile, Path disk) {
    try {
      Path context = Files.createTempDirectory("vmimg");
      Files.writeString(context.resolve("Containerfile"), containerfile);
      Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
      if (disk != null) {
        Files.copy(disk, context.resolve("disk.img"));
      }
      Process buildah =
          new ProcessBuilder("buildah", "bud", "-q", "--pull=never", "-t", tag, context.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(buildah.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (buildah.waitFor() != 0) {
        throw new IllegalStateException("buildah could not build " + tag + ":\n" + output);
      }
      images.add(tag);
      return tag;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String digest(String image) {
    return PODMAN
        .run(List.of("image", "inspect", "--format", "{{.Digest}}", image))
        .stdout()
        .strip();
  }

  private static String spec(String image) {
    return "{\"vcpus\":1,\"memoryMib\":256,\"image\":\"" + image + "\"}";
  }

  private static List<String> reasons(JsonNode problem) {
    List<String> reasons = new ArrayList<>();
    problem.path("reasons").forEach(r -> reasons.add(r.asString()));
    return reasons;
  }

  /** The refusal's words, without the reference the caller gave (which it echoes, shortened). */
  private static String words(JsonNode problem, String given) {
    String shortened = given.length() > 64 ? given.substring(0, 64) + "..." : given;
    return (problem.path("detail").asString() + " | " + String.join("; ", reasons(problem)))
        .replace(given, "<image>")
        .replace(shortened, "<image>");
  }

  private void assertNothingMade(AppRef ref) {
    assertThat(
            PODMAN
                .attempt(List.of("container", "exists", TestImages.PREFIX + ref.appId() + "-vm"))
                .exitCode())
        .as("the VM's container")
        .isNotZero();
    assertThat(
            PODMAN
                .attempt(List.of("volume", "exists", TestImages.PREFIX + ref.appId() + "-vm"))
                .exitCode())
        .as("the VM's volume")
        .isNotZero();
    assertThat(
            jdbc.sql("select count(*) from vm where app_id = ?")
                .param(ref.appId())
                .query(Integer.class)
                .single())
        .isZero();
  }

  private static String checkContainer(AppRef ref) {
    return TestImages.PREFIX + ref.appId() + "-vmcheck";
  }
}
