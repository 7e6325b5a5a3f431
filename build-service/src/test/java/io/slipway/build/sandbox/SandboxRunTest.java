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
            Path.of("/data/.sandbox/tenants/1/platform"),
            Path.of("/data/.sandbox/platform/builder-storage.conf"),
            Path.of("/data/.sandbox/tenants/1/work"),
            2048,
            1500,
            4096,
            4096,
            BuilderBud.inTenantStore(
                "/workspace/slipway-build-1-x/Containerfile.node",
                "localhost/acme/web/site:1a2b",
                "/workspace/slipway-build-1-x/src"),
            Path.of("/data/.sandbox/tenants/1/egress"),
            Path.of("/data/.sandbox/tenants/1/store/tmp"));

    assertThat(run.arguments())
        .containsExactly(
            "podman",
            "run",
            "--rm",
            "--replace",
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
            "--volume=/data/.sandbox/tenants/1/store/tmp:/var/tmp",
            "--volume=/data/.sandbox/tenants/1/cache:/var/tmp/buildah-cache-0",
            "--volume=/data/.sandbox/tenants/1/platform:/var/lib/slipway-platform:ro",
            "--volume=/data/.sandbox/platform/builder-storage.conf:/etc/containers/storage.conf:ro",
            "--volume=/data/.sandbox/tenants/1/work:/workspace:ro",
            "--volume=/data/.sandbox/tenants/1/egress:/run/slipway/egress:ro",
            "localhost/slipway/builder:1",
            "slipway-build",
            "--",
            "--layers",
            "--pull=never",
            "--isolation=chroot",
            "--cap-drop=all",
            "--force-rm",
            "--file=/workspace/slipway-build-1-x/Containerfile.node",
            "--tag=localhost/acme/web/site:1a2b",
            "/workspace/slipway-build-1-x/src");
    assertThat(run.arguments())
        .noneMatch(argument -> argument.contains("privileged") || argument.contains("fuse"))
        .noneMatch(argument -> argument.contains("seccomp") || argument.contains("cap-add"));
  }

  @Test
  void aWarmBuilderHasTheSameContainerAndEachBuildTheSameCommand() {
    SandboxRun run = run("slipway-builder-1");
    List<String> options = run.containerOptions();
    List<String> start =
        run.startArguments(
            "/data/.sandbox",
            "tenant-1",
            "42",
            Path.of("/data/.sandbox/control/slipway-builder-1"));
    List<String> build = run.arguments();

    // the warm builder is the build's own container with the same options and its control
    // directory, waiting for builds on its socket
    assertThat(start)
        .containsExactlyElementsOf(
            concat(
                List.of(
                    "podman",
                    "run",
                    "--detach",
                    "--init",
                    "--name=slipway-builder-1",
                    "--label=io.slipway.sandbox=/data/.sandbox",
                    "--label=io.slipway.tenant=tenant-1",
                    "--label=io.slipway.owner=42"),
                options,
                List.of(
                    "--volume=/data/.sandbox/control/slipway-builder-1:/run/slipway/control",
                    "localhost/slipway/builder:1",
                    "slipway-serve")));
    assertThat(build.subList(5, 5 + options.size())).isEqualTo(options);
    // and each build in it runs the very command a container of its own would, over the socket or,
    // when that does not answer, with podman exec
    assertThat(run.request())
        .containsExactlyElementsOf(build.subList(7 + options.size(), build.size()));
    assertThat(run.execArguments())
        .containsExactlyElementsOf(
            concat(
                List.of("podman", "exec", "slipway-builder-1"),
                build.subList(6 + options.size(), build.size())));
    assertThat(run.execArguments())
        .containsExactly(
            "podman",
            "exec",
            "slipway-builder-1",
            "slipway-build",
            "--",
            "--layers",
            "--pull=never",
            "--isolation=chroot",
            "--cap-drop=all",
            "--force-rm",
            "--file=/workspace/b/Containerfile",
            "--tag=localhost/acme/web/site:1a2b",
            "/workspace/b/src");
    assertThat(start)
        .noneMatch(argument -> argument.contains("privileged") || argument.contains("cap-add"));
  }

  @Test
  void theImageIdIsTheLastLineABuildPrintsOrNone() {
    assertThat(BuildSandbox.builtImageId(List.of("COMMIT x", "--> 1a2b", ID))).contains(ID);
    assertThat(BuildSandbox.builtImageId(List.of(ID, "Error: exit status 1"))).isEmpty();
    assertThat(BuildSandbox.builtImageId(List.of(ID.substring(1)))).isEmpty();
    assertThat(BuildSandbox.builtImageId(List.of())).isEmpty();
  }

  private static SandboxRun run(String name) {
    return new SandboxRun(
        name,
        "localhost/slipway/builder:1",
        200_065_536,
        Path.of("/data/.sandbox/tenants/1/storage"),
        Path.of("/data/.sandbox/tenants/1/cache"),
        Path.of("/data/.sandbox/tenants/1/platform"),
        Path.of("/data/.sandbox/platform/builder-storage.conf"),
        Path.of("/data/.sandbox/tenants/1/work"),
        2048,
        0,
        4096,
        4096,
        BuilderBud.inTenantStore(
            "/workspace/b/Containerfile", "localhost/acme/web/site:1a2b", "/workspace/b/src"),
        Path.of("/data/.sandbox/tenants/1/egress"),
        Path.of("/data/.sandbox/tenants/1/store/tmp"));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
  }

  @Test
  void onlyWholeReferencesOfPlatformImagesAreCopiedForABuild() {
    String containerfile =
        "FROM localhost/slipway/stacks/node:10 AS a\nFROM localhost/slipway/stacks/node:1\n";
    assertThat(PlatformStore.names(containerfile, "localhost/slipway/stacks/node:1")).isTrue();
    assertThat(
            PlatformStore.names(
                "FROM localhost/slipway/stacks/node:10\n", "localhost/slipway/stacks/node:1"))
        .isFalse();
    assertThat(PlatformStore.names("COPY --from=localhost/x:1 / /", "localhost/x:1")).isTrue();
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
