package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The tenants' warm builders against real podman: a tenant's next build runs in the builder its
 * last one left, never in another tenant's; a build that does not succeed takes its builder with
 * it, and the next starts clean; the memory limit still holds, and is named, in a builder that had
 * served a build before; idle builders are stopped.
 */
@ExtendWith(StaticBase.class)
class WarmBuildersIT extends BuildServiceTest {

  private static final String BUSYBOX = "/bin/busybox";

  @Autowired BuildSandbox sandbox;
  @TempDir Path work;
  private GitCli git;

  @Test
  void aTenantsNextBuildRunsInItsOwnWarmBuilderNeverInAnotherTenants() throws Exception {
    git = new GitCli(work);
    Tenancy first = new Tenancy(TestTenantService.url());
    Tenancy second = new Tenancy(TestTenantService.url());
    Path repo =
        repository("first", "WORKDIR /w\nRUN [\"" + BUSYBOX + "\", \"touch\", \"/w/built\"]");

    succeeds(first, repo, 1);
    List<String> builders = sandbox.idleBuilders(first.ids().tenantId());
    assertThat(builders).hasSize(1);
    assertThat(Commands.buildersOf(first.ids().tenantId())).containsExactlyElementsOf(builders);
    assertThat(first.log(baseUrl(), 1)).contains("Copied ");

    // the same tree again: every step cached, the image unchanged
    git.ok(repo, "commit", "-q", "--allow-empty", "-m", "again");
    succeeds(first, repo, 2);
    assertThat(sandbox.idleBuilders(first.ids().tenantId())).isEqualTo(builders);
    assertThat(Commands.buildersOf(first.ids().tenantId())).containsExactlyElementsOf(builders);
    // handed back by a tag of the image its last copy brought, not copied again
    assertThat(first.log(baseUrl(), 2)).contains("Tagged ").doesNotContain("Copied ");
    // run through the builder's request loop, no podman exec
    assertThat(Commands.ok("podman", "top", builders.get(0), "args"))
        .contains("socat")
        .contains("UNIX-LISTEN:/run/slipway/control/build.sock");
    assertThat(first.log(baseUrl(), 2)).doesNotContain(SandboxLease.EXEC_FALLBACK);
    assertThat(imageId(first, 2)).isEqualTo(imageId(first, 1));

    succeeds(second, repository("second", "RUN [\"" + BUSYBOX + "\", \"true\"]"), 1);
    List<String> others = sandbox.idleBuilders(second.ids().tenantId());
    assertThat(others).hasSize(1).doesNotContainAnyElementsOf(builders);
    assertThat(Commands.buildersOf(second.ids().tenantId())).containsExactlyElementsOf(others);
    assertThat(sandbox.idleBuilders(first.ids().tenantId())).isEqualTo(builders);
  }

  @Test
  void aBuildOutOfMemoryInAWarmBuilderNamesTheLimitAndTheNextStartsClean() throws Exception {
    git = new GitCli(work);
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo = repository("warm", "RUN [\"" + BUSYBOX + "\", \"true\"]");
    succeeds(tenant, repo, 1);
    List<String> warm = sandbox.idleBuilders(tenant.ids().tenantId());
    assertThat(warm).hasSize(1);

    // killed mid-way by the kernel, in the builder the first build left warm
    java.nio.file.Files.writeString(
        repo.resolve("Containerfile"),
        "FROM "
            + STATIC_BASE_IMAGE
            + "\nRUN [\""
            + BUSYBOX
            + "\", \"dd\", \"if=/dev/zero\", \"of=/dev/null\", \"bs=3000M\", \"count=1\"]\n");
    commit(repo);
    JsonNode hungry = push(tenant, repo, 2);

    assertThat(hungry.path("status").asString()).as(hungry.toString()).isEqualTo("failed");
    assertThat(hungry.path("reason").asString())
        .startsWith("the build ran out of memory (limit 2048 MiB); the log ends with:\n");
    // the builder it ran in is gone with whatever the build left in it
    assertThat(sandbox.idleBuilders(tenant.ids().tenantId())).isEmpty();
    assertThat(Commands.buildersOf(tenant.ids().tenantId())).isEmpty();

    java.nio.file.Files.writeString(
        repo.resolve("Containerfile"),
        "FROM " + STATIC_BASE_IMAGE + "\nRUN [\"" + BUSYBOX + "\", \"echo\", \"next\"]\n");
    commit(repo);
    succeeds(tenant, repo, 3);
    List<String> next = sandbox.idleBuilders(tenant.ids().tenantId());
    assertThat(next).hasSize(1).doesNotContainAnyElementsOf(warm);
  }

  @Test
  void aControlSocketAnsweredByAnotherUserGetsNothingAndTheBuildRunsWithPodmanExec()
      throws Exception {
    git = new GitCli(work);
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo = repository("tampered", "RUN [\"" + BUSYBOX + "\", \"true\"]");
    succeeds(tenant, repo, 1);
    String builder = sandbox.idleBuilders(tenant.ids().tenantId()).get(0);

    // what a tenant that reached its builder's control directory could do: put a socket there that
    // a host service answers (here this test, as host root)
    Path socket = sandbox.controlSocket(builder);
    java.nio.file.Files.delete(socket);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (ServerSocketChannel impostor = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      impostor.bind(UnixDomainSocketAddress.of(socket));
      Thread.ofVirtual()
          .start(
              () -> {
                try (SocketChannel client = impostor.accept()) {
                  ByteBuffer buffer = ByteBuffer.allocate(1024);
                  while (client.read(buffer) >= 0) {
                    received.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                  }
                } catch (IOException e) {
                  // closed by the test
                }
              });
      git.ok(repo, "commit", "-q", "--allow-empty", "-m", "again");
      succeeds(tenant, repo, 2);
    }

    assertThat(received.size()).as("bytes the impostor received").isZero();
    assertThat(tenant.log(baseUrl(), 2)).contains(SandboxLease.EXEC_FALLBACK);
    assertThat(sandbox.idleBuilders(tenant.ids().tenantId())).containsExactly(builder);
  }

  @Test
  void anIdleBuilderIsStoppedAndTheNextBuildStartsAnother() throws Exception {
    git = new GitCli(work);
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo = repository("idle", "RUN [\"" + BUSYBOX + "\", \"true\"]");
    succeeds(tenant, repo, 1);
    List<String> warm = sandbox.idleBuilders(tenant.ids().tenantId());
    assertThat(Commands.buildersOf(tenant.ids().tenantId())).containsExactlyElementsOf(warm);

    // not yet idle for long
    sandbox.stopIdleBuilders(Duration.ofMinutes(5));
    assertThat(Commands.buildersOf(tenant.ids().tenantId())).containsExactlyElementsOf(warm);
    sandbox.stopIdleBuilders(Duration.ZERO);

    assertThat(Commands.buildersOf(tenant.ids().tenantId())).isEmpty();
    assertThat(sandbox.idleBuilders(tenant.ids().tenantId())).isEmpty();
    git.ok(repo, "commit", "-q", "--allow-empty", "-m", "again");
    succeeds(tenant, repo, 2);
    assertThat(sandbox.idleBuilders(tenant.ids().tenantId()))
        .hasSize(1)
        .doesNotContainAnyElementsOf(warm);
  }

  private Path repository(String name, String step) {
    return git.newRepository(
        work.resolve(name),
        Map.of("Containerfile", "FROM " + STATIC_BASE_IMAGE + "\n" + step + "\n"));
  }

  private void commit(Path repo) {
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "change");
  }

  private void succeeds(Tenancy tenant, Path repo, int number) {
    JsonNode build = push(tenant, repo, number);
    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("succeeded");
  }

  private JsonNode push(Tenancy tenant, Path repo, int number) {
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenant.owner.gitToken() + "@127.0.0.1:" + port + tenant.repositoryPath(),
        "HEAD:main");
    JsonNode build = tenant.awaitEnded(baseUrl(), number);
    if (!build.path("image").isMissingNode() && !build.path("image").isNull()) {
      images.add(build.path("image").asString());
    }
    return build;
  }

  private String imageId(Tenancy tenant, int number) {
    String image = tenant.awaitEnded(baseUrl(), number).path("image").asString();
    return Commands.ok("podman", "image", "inspect", "--format={{.Id}}", image);
  }
}
