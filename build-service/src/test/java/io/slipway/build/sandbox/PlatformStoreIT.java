package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.support.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform images' store against real podman, skopeo and the kernel: a platform image is copied
 * into it once per version; a tenant's view of it is idmapped (host root's files are the tenant's
 * root's), read-only for host root and for the tenant's sandbox alike, and serves the sandbox's
 * buildah as an image store of its own; a stack rebuilt on the host is copied after a recheck, and
 * its old version stays.
 */
class PlatformStoreIT {

  /** A uid range no test tenant gets. */
  private static final long UID_BASE = 4_100_000_000L;

  private final String image = "localhost/slwtest-platform-store-" + UUID.randomUUID() + ":1";
  private final List<Path> views = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    for (Path home : views) {
      PlatformStore.closeView(home);
    }
    Commands.run("podman", "rmi", "-f", image);
  }

  @Test
  void aTenantSeesThePlatformImagesAsItsRootsAndCannotChangeThem() throws Exception {
    String first = build("one");
    PlatformStore store = new PlatformStore(dir.resolve("platform"));
    store.prepare("FROM " + image + "\n", List.of(image));
    assertThat(store.exists()).isTrue();
    assertThat(Files.readString(store.graph().resolve("overlay-images/images.json")))
        .contains(first)
        .contains(image);

    Path home = Files.createDirectories(dir.resolve("tenant"));
    views.add(home);
    Path view = store.viewFor(home, UID_BASE);
    assertThat(store.viewFor(home, UID_BASE)).as("mounted once").isEqualTo(view);
    assertThat(Files.getAttribute(store.graph(), "unix:uid")).isEqualTo(0);
    assertThat(Files.getAttribute(view, "unix:uid")).isEqualTo((int) UID_BASE);
    assertThat(Files.getAttribute(view, "unix:gid")).isEqualTo((int) UID_BASE);
    // read-only even for host root
    assertThatThrownBy(() -> Files.writeString(view.resolve("planted"), "x"))
        .hasMessageContaining("Read-only file system");

    Path storage = Files.createDirectories(home.resolve("storage"));
    Files.setAttribute(storage, "unix:uid", (int) UID_BASE);
    Files.setAttribute(storage, "unix:gid", (int) UID_BASE);
    Commands.Result inSandbox =
        inSandbox(
            store,
            view,
            storage,
            "buildah images --format '{{.Name}}:{{.Tag}} {{.ID}}' && ls -ln /var/lib/slipway-platform"
                + " && touch /var/lib/slipway-platform/planted");
    assertThat(inSandbox.output())
        .containsPattern(java.util.regex.Pattern.quote(image) + "\\s+" + first.substring(0, 12))
        // the sandbox's root owns the store it sees, so buildah can use it
        .containsPattern("(?m)^d\\S+ +\\d+ 0 +0 .* overlay-images$")
        .contains("Read-only file system");
    assertThat(inSandbox.exitCode()).isNotZero();
    assertThat(store.graph().resolve("planted")).doesNotExist();

    // the stack is rebuilt on the host: the store takes the new version once podman is asked again
    String second = build("two");
    store.prepare("FROM " + image + "\n", List.of(image));
    assertThat(names(store, second)).as("not asked again within the recheck time").isEmpty();
    store.recheck();
    store.prepare("FROM " + image + "\n", List.of(image));
    assertThat(names(store, second)).containsExactly(image);
    assertThat(Files.readString(store.graph().resolve("overlay-images/images.json")))
        .as("the old version stays: tenants' images are made of its layers")
        .contains(first);

    PlatformStore.closeView(home);
    PlatformStore.closeView(home);
    assertThat(view).isEmptyDirectory();
  }

  @Test
  void aContainerfileThatNamesNoPlatformImageCopiesNothing() throws Exception {
    build("three");
    PlatformStore store = new PlatformStore(dir.resolve("platform"));
    store.prepare("FROM " + image + "-other\nFROM scratch\n", List.of(image));
    assertThat(store.exists()).isFalse();
  }

  private Commands.Result inSandbox(PlatformStore store, Path view, Path storage, String script)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("podman", "run", "--rm"));
    command.addAll(SandboxRun.isolation(UID_BASE, 256, 1024));
    command.add("--volume=" + storage + ":/var/lib/containers");
    command.addAll(SandboxRun.platformVolumes(view, store.builderStorageConf()));
    command.addAll(List.of("localhost/slipway/builder:1", "sh", "-c", script));
    return Commands.run(command.toArray(String[]::new));
  }

  /** The names the store gives the image with this id. */
  private static List<String> names(PlatformStore store, String id) throws Exception {
    String index = Files.readString(store.graph().resolve("overlay-images/images.json"));
    tools.jackson.databind.JsonNode images =
        tools.jackson.databind.json.JsonMapper.builder().build().readTree(index);
    List<String> names = new ArrayList<>();
    for (tools.jackson.databind.JsonNode entry : images) {
      if (entry.path("id").asString().equals(id)) {
        entry.path("names").forEach(name -> names.add(name.asString()));
      }
    }
    return names;
  }

  /** Builds the image anew with {@code content} in it and returns its id. */
  private String build(String content) throws Exception {
    Path context = Files.createTempDirectory(dir, "context-");
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("content"), content);
    Files.writeString(
        context.resolve("Containerfile"), "FROM scratch\nCOPY busybox content /bin/\n");
    Commands.ok("buildah", "bud", "--pull=never", "--quiet", "--tag=" + image, context.toString());
    return Commands.ok("podman", "image", "inspect", "--format={{.Id}}", image);
  }
}
