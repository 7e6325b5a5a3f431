package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform images exported for the sandbox against real podman: the id a name had is taken for a
 * while without asking podman, and asked again after {@link StackExports#recheck()}, so a stack
 * rebuilt on the host is what the next build after a failure imports.
 */
class StackExportsIT {

  private final String image = "localhost/slwtest-stack-exports-" + UUID.randomUUID() + ":1";
  @TempDir Path dir;

  @AfterEach
  void removeImage() {
    Commands.run("podman", "rmi", "-f", image);
  }

  @Test
  void aNamesIdIsRememberedUntilARecheckThenTheRebuiltStackIsExported() throws Exception {
    String first = build("one");
    StackExports exports = new StackExports(dir.resolve("stacks"));
    String containerfile = "FROM " + image + "\n";

    assertThat(exports.named(containerfile, List.of(image)))
        .containsExactly(new StackImport(image, "/stacks/" + first, first));
    assertThat(dir.resolve("stacks").resolve(first).resolve("index.json")).isRegularFile();

    // the stack is rebuilt on the host: a warm rebuild still takes the version it knew, whose
    // layout is still there, without asking podman
    String second = build("two");
    assertThat(second).isNotEqualTo(first);
    assertThat(exports.named(containerfile, List.of(image)))
        .containsExactly(new StackImport(image, "/stacks/" + first, first));

    exports.recheck();
    assertThat(exports.named(containerfile, List.of(image)))
        .containsExactly(new StackImport(image, "/stacks/" + second, second));
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
