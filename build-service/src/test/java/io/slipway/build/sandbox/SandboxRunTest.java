package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxRunTest {

  private static final String ID = "ab".repeat(32);

  @Test
  void aBuildRunsUnprivilegedWithoutNetworkInTheTenantsOwnStore() {
    SandboxRun run =
        new SandboxRun(
            "slipway-build-1",
            "localhost/slipway/builder:1",
            200_065_536,
            Path.of("/data/.sandbox/tenants/1/storage"),
            Path.of("/data/.sandbox/tenants/1/cache"),
            Path.of("/data/.sandbox/stacks"),
            Path.of("/tmp/slipway-build-1-x/src"),
            Path.of("/tmp/slipway-build-1-x/Containerfile.node"),
            2048,
            1500,
            4096,
            4096,
            List.of(new StackImport("localhost/slipway/stacks/node:1", "/stacks/" + ID, ID)),
            BuilderBud.inTenantStore(
                SandboxRun.GENERATED_CONTAINERFILE,
                "localhost/acme/web/site:1a2b",
                SandboxRun.SOURCE),
            Path.of("/data/.sandbox/tenants/1/egress"));

    assertThat(run.arguments())
        .containsExactly(
            "podman",
            "run",
            "--rm",
            "--name=slipway-build-1",
            "--network=none",
            "--uidmap=0:200065536:65536",
            "--gidmap=0:200065536:65536",
            "--security-opt=no-new-privileges",
            "--ulimit=nofile=4096:4096",
            "--ulimit=nproc=4096:4096",
            "--pids-limit=4096",
            "--memory=2048m",
            "--memory-swap=2048m",
            "--cpus=1.500",
            "--volume=/data/.sandbox/tenants/1/storage:/var/lib/containers",
            "--volume=/data/.sandbox/tenants/1/cache:/var/tmp/buildah-cache-0",
            "--volume=/data/.sandbox/stacks:/stacks:ro",
            "--volume=/tmp/slipway-build-1-x/src:/workspace/src:ro",
            "--volume=/tmp/slipway-build-1-x/Containerfile.node:/workspace/Containerfile:ro",
            "--volume=/data/.sandbox/tenants/1/egress:/run/slipway/egress:ro",
            "localhost/slipway/builder:1",
            "slipway-build",
            "localhost/slipway/stacks/node:1",
            "/stacks/" + ID,
            ID,
            "--",
            "--layers",
            "--pull=never",
            "--isolation=chroot",
            "--cap-drop=all",
            "--force-rm",
            "--file=/workspace/Containerfile",
            "--tag=localhost/acme/web/site:1a2b",
            "/workspace/src");
    assertThat(run.arguments())
        .noneMatch(argument -> argument.contains("privileged") || argument.contains("fuse"))
        .noneMatch(argument -> argument.contains("seccomp") || argument.contains("cap-add"));
  }

  @Test
  void onlyWholeReferencesOfPlatformImagesAreImported() {
    String containerfile =
        "FROM localhost/slipway/stacks/node:10 AS a\nFROM localhost/slipway/stacks/node:1\n";
    assertThat(StackExports.names(containerfile, "localhost/slipway/stacks/node:1")).isTrue();
    assertThat(
            StackExports.names(
                "FROM localhost/slipway/stacks/node:10\n", "localhost/slipway/stacks/node:1"))
        .isFalse();
    assertThat(StackExports.names("COPY --from=localhost/x:1 / /", "localhost/x:1")).isTrue();
  }

  @Test
  void aStoreWithALinkInItsOwnStructureIsNotHandedOver(@TempDir Path graph) throws IOException {
    Files.createDirectories(graph.resolve("overlay/l"));
    Files.createDirectories(graph.resolve("overlay/abc/diff"));
    Files.createSymbolicLink(graph.resolve("overlay/l/ABC"), Path.of("../abc/diff"));
    BuildSandbox.refuseLinks(graph);

    Files.delete(graph.resolve("overlay/abc/diff"));
    Files.createSymbolicLink(graph.resolve("overlay/abc/diff"), Path.of("/"));
    assertThatThrownBy(() -> BuildSandbox.refuseLinks(graph))
        .isInstanceOf(BuildSandbox.SandboxStepFailedException.class)
        .hasMessageContaining("a symbolic link at overlay/abc/diff")
        .hasMessageStartingWith("the image is not deployed: the tenant's image store was changed")
        .hasMessageNotContaining(graph.toString());
  }
}
