package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sandbox numbers against the service's real database: a tenant's number is looked up, not taken
 * again, so the identity (and the finite uid ranges after it) advances by one per new tenant; a
 * deleted tenant's sandbox goes with it, and nobody else's does.
 */
@ExtendWith(StaticBase.class)
class SandboxTenantsIT extends BuildServiceTest {

  @Autowired SandboxTenants tenants;
  @TempDir Path work;

  @Test
  void aTenantKeepsItsNumberAndTheNextTenantGetsTheNextOne() {
    String first = "tenant-" + UUID.randomUUID();
    String second = "tenant-" + UUID.randomUUID();

    long number = tenants.number(first);

    assertThat(tenants.number(first)).isEqualTo(number);
    assertThat(tenants.number(first)).isEqualTo(number);
    assertThat(tenants.find(second)).isEmpty();
    assertThat(tenants.number(second)).isEqualTo(number + 1);
    assertThat(tenants.find(first)).contains(number);
  }

  @Test
  void aDeletedTenantsSandboxAndNumberGoAndAnotherTenantsStay() throws Exception {
    GitCli git = new GitCli(work);
    Tenancy deleted = new Tenancy(TestTenantService.url());
    Tenancy kept = new Tenancy(TestTenantService.url());
    build(git, deleted, "deleted");
    build(git, kept, "kept");
    String deletedId = deleted.ids().tenantId();
    String keptId = kept.ids().tenantId();
    long deletedNumber = tenants.find(deletedId).orElseThrow();
    long keptNumber = tenants.find(keptId).orElseThrow();
    Path deletedHome = home(deletedNumber);
    Path keptHome = home(keptNumber);
    // what a build leaves: the tenant's own image store, with the image in it, on the tenant's
    // own file system
    assertThat(store(deletedHome).resolve("storage").resolve("storage")).isDirectory();
    assertThat(store(keptHome).resolve("storage").resolve("storage")).isDirectory();
    assertThat(mounted(deletedHome)).isTrue();
    // and a warm builder each, waiting for the tenant's next build
    assertThat(Commands.buildersOf(deletedId)).hasSize(1);
    List<String> keptBuilders = Commands.buildersOf(keptId);
    assertThat(keptBuilders).hasSize(1);

    deleted.delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(deletedHome).doesNotExist();
              assertThat(tenants.find(deletedId)).isEmpty();
            });
    assertThat(Commands.buildersOf(deletedId)).isEmpty();
    assertThat(mounted(deletedHome)).isFalse();
    // freed when its last opener (which can be udev's probe) closes it, a moment after unmount
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(Commands.ok("losetup", "-a")).doesNotContain(deletedHome.toString()));
    assertThat(Commands.buildersOf(keptId)).isEqualTo(keptBuilders);
    assertThat(store(keptHome).resolve("storage").resolve("storage")).isDirectory();
    assertThat(mounted(keptHome)).isTrue();
    assertThat(tenants.find(keptId)).contains(keptNumber);
    // the deleted number is not given again
    assertThat(tenants.number("tenant-" + UUID.randomUUID())).isGreaterThan(keptNumber);
  }

  private void build(GitCli git, Tenancy tenant, String name) {
    Path repo =
        git.newRepository(
            work.resolve(name),
            Map.of(
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nWORKDIR /w\nRUN [\"/bin/busybox\", \"touch\", \"/w/built\"]\n"));
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenant.owner.gitToken() + "@127.0.0.1:" + port + tenant.repositoryPath(),
        "HEAD:main");
    images.add(tenant.awaitSucceeded(baseUrl(), 1).path("image").asString());
  }

  private static Path store(Path home) {
    return home.resolve(BuildStores.MOUNT_POINT);
  }

  private static boolean mounted(Path home) throws java.io.IOException {
    return StoreFileSystem.mountedSource(
            java.nio.file.Files.readString(Path.of("/proc/self/mountinfo")), store(home))
        .isPresent();
  }

  private static Path home(long number) {
    return DATA_DIR.resolve(".sandbox").resolve("tenants").resolve(Long.toString(number));
  }
}
