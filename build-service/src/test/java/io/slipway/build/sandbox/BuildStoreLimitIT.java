package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The build store's size limit through build-service's own path, with real podman, buildah and loop
 * mounts: a pushed Containerfile that writes more than the store holds fails with a reason that
 * names the limit, nothing of it lands on the host's disk, the tenant's next build works, a stopped
 * service leaves no store mounted and the next build mounts it again, and a deleted tenant's store
 * is unmounted and removed.
 *
 * <p>Its service has a sandbox directory of its own, so the stores it makes are its alone (and
 * {@code @AfterAll} can tell that none of them stays mounted).
 */
@ExtendWith(StaticBase.class)
class BuildStoreLimitIT extends BuildServiceTest {

  private static final long STORE_MIB = 96;
  private static final Path OWN_DATA = dataDir("slipway-build-store-test-data");
  private static final String BUSYBOX = "/bin/busybox";

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    // where TestPlatform.removeWarmBuilders(OWN_DATA) looks for builders, as <data-dir>/.sandbox
    registry.add("slipway.build.sandbox.dir", () -> OWN_DATA.resolve(".sandbox").toString());
    registry.add("slipway.build.sandbox.store-mib", () -> STORE_MIB);
  }

  @Autowired BuildSandbox sandbox;
  @Autowired SandboxTenants tenants;
  @TempDir Path work;
  private GitCli git;

  @AfterAll
  static void nothingOfItStaysMounted() {
    assertThat(Commands.ok("losetup", "-a")).doesNotContain(OWN_DATA.toString());
  }

  @Test
  void aBuildThatFillsItsStoreFailsNamingTheLimitAndTheHostsDiskIsNotWritten() throws Exception {
    git = new GitCli(work);
    Tenancy tenant = new Tenancy(TestTenantService.url());
    // the host could hold what the build writes: only the store's size can stop it
    assertThat(Files.getFileStore(OWN_DATA).getUsableSpace()).isGreaterThan(2L << 30);
    Path repo =
        repository(
            "WORKDIR /w\nRUN " + shellStep(BUSYBOX + " dd if=/dev/zero of=/w/big bs=1M count=400"));

    JsonNode full = push(tenant, repo, 1);

    assertThat(full.path("status").asString()).as(full.toString()).isEqualTo("failed");
    assertThat(full.path("reason").asString())
        .startsWith(
            "the build filled the tenant's build disk (96 MiB, slipway.build.sandbox.store-mib),"
                + " which holds its images and build cache; they are cleared, so the next build"
                + " starts without cached layers; a build that needs more needs the platform's"
                + " operator to raise that setting; the log ends with:\n")
        .containsIgnoringCase("no space left on device");
    Path home = home(tenant);
    assertThat(mountedAt(home.resolve("store"))).isTrue();
    // the tenant's directory on the host's disk: the store's sparse file (at most its size) and
    // the build directories, never the 400 MiB the build wrote
    assertThat(diskMib(home)).isLessThan(STORE_MIB + 16);
    // the full store was emptied: the next build does not meet it full
    assertThat(sandbox.storeUsedMib(tenant.ids().tenantId()).orElseThrow()).isLessThan(8);

    Files.writeString(
        repo.resolve("Containerfile"),
        "FROM " + STATIC_BASE_IMAGE + "\nRUN [\"" + BUSYBOX + "\", \"echo\", \"small\"]\n");
    commit(repo);
    succeeds(tenant, repo, 2);
    long stored = sandbox.storeUsedMib(tenant.ids().tenantId()).orElseThrow();
    assertThat(stored).isPositive();
    // the tenant's storage usage, as its members (and the portal) read it, has the store's size
    // as the build left it, as its part beside the repository's and the image's
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(storeUsed(tenant)).isEqualTo(stored));
    // which a member of the tenant cannot change
    assertThat(
            Json.put(
                    tenant.owner.jwt(),
                    TestTenantService.url()
                        + "/api/v1/tenants/"
                        + tenant.tenant
                        + "/measured-usage/build-store",
                    Map.of("storageMib", 0))
                .status())
        .isEqualTo(403);
    assertThat(storeUsed(tenant)).isEqualTo(stored);

    // a stopped service leaves no store mounted; the tenant's next build mounts it again
    sandbox.removeBuilders();
    assertThat(mountedAt(home.resolve("store"))).isFalse();
    assertThat(sandbox.storeUsedMib(tenant.ids().tenantId())).isEmpty();
    git.ok(repo, "commit", "-q", "--allow-empty", "-m", "again");
    succeeds(tenant, repo, 3);
    assertThat(mountedAt(home.resolve("store"))).isTrue();

    tenant.delete();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(home).doesNotExist());
    assertThat(mountedAt(home.resolve("store"))).isFalse();
    assertThat(Commands.ok("losetup", "-a")).doesNotContain(home.toString());
  }

  /**
   * A store made before the platform images had a store of their own (no {@code .layout} at its
   * root) may hold copies of them that would hide the shared versions: it is emptied once, on its
   * tenant's next build, and never again.
   */
  @Test
  void aStoreMadeBeforeThePlatformStoreIsEmptiedOnce() throws Exception {
    git = new GitCli(work);
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo = repository("RUN [\"" + BUSYBOX + "\", \"true\"]");
    succeeds(tenant, repo, 1);
    Path store = home(tenant).resolve("store");
    assertThat(store.resolve(".layout")).isRegularFile();

    // as a version before left it: no marker, and what it kept in the image store
    Files.delete(store.resolve(".layout"));
    Files.writeString(store.resolve("storage").resolve("left-by-an-old-version"), "copy");
    git.ok(repo, "commit", "-q", "--allow-empty", "-m", "after an upgrade");
    succeeds(tenant, repo, 2);
    assertThat(store.resolve("storage").resolve("left-by-an-old-version")).doesNotExist();
    assertThat(store.resolve(".layout")).isRegularFile();

    // once: the next build keeps what the store holds
    Files.writeString(store.resolve("storage").resolve("kept"), "cache");
    git.ok(repo, "commit", "-q", "--allow-empty", "-m", "again");
    succeeds(tenant, repo, 3);
    assertThat(store.resolve("storage").resolve("kept")).isRegularFile();
    tenant.delete();
  }

  /** The build store's part of the tenant's storage usage, as its owner reads it. */
  private static long storeUsed(Tenancy tenant) {
    Json.Response usage =
        Json.get(
            tenant.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenant.tenant + "/usage");
    assertThat(usage.status()).as(usage.body()).isEqualTo(200);
    for (JsonNode part : usage.json().path("measured")) {
      if (part.path("key").asString().equals("build-store")) {
        return part.path("storageMib").asLong();
      }
    }
    return 0;
  }

  private Path home(Tenancy tenant) {
    long number = tenants.find(tenant.ids().tenantId()).orElseThrow();
    return OWN_DATA.resolve(".sandbox").resolve("tenants").resolve(Long.toString(number));
  }

  private static boolean mountedAt(Path mountPoint) throws IOException {
    return StoreFileSystem.mountedSource(
            Files.readString(Path.of("/proc/self/mountinfo")), mountPoint)
        .isPresent();
  }

  /** What a directory takes on the host's disk, not crossing into the mounted store, MiB. */
  private static long diskMib(Path dir) {
    return Long.parseLong(
        Commands.ok("du", "-s", "-x", "--block-size=1M", dir.toString()).split("\\s+")[0]);
  }

  private Path repository(String step) {
    return git.newRepository(
        work.resolve("app"),
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
}
