package io.slipway.build.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.build.tenant.TenantClient;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's storage usage, as its members read it from tenant-service, after a real push and a
 * real sandboxed build: its git repository, its image and its build store, each under its own key
 * and each equal to what {@code du}, {@code podman} and {@code df} say of them on the host, rounded
 * up to MiB; another tenant's usage is untouched; deleting the app takes its repository and image
 * out of the figures; figures are taken again when the service starts.
 */
@ExtendWith(StaticBase.class)
class StorageUsageIT extends BuildServiceTest {

  private static final long MIB = 1024 * 1024;

  @Autowired BuildSandbox sandbox;
  @Autowired TenantClient tenants;
  @Autowired MeasureAtStartup startup;
  @TempDir Path work;
  private String image;

  @AfterEach
  void removeImage() {
    if (image != null) {
      Commands.run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void theRepositoryTheImageAndTheBuildStoreAreCountedAsTheHostMeasuresThem() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Tenancy other = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    // 3 MiB that do not compress: the repository, the image and the store each hold them
    byte[] blob = new byte[3 * (int) MIB];
    new Random(18).nextBytes(blob);
    Path repo =
        git.newRepository(
            work.resolve("app"),
            Map.of(
                "Containerfile",
                "FROM " + STATIC_BASE_IMAGE + "\nCOPY blob.bin /www/blob.bin\n",
                "index.html",
                "<p>hello</p>\n"));
    Files.write(repo.resolve("blob.bin"), blob);
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "blob");

    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenant.owner.gitToken() + "@127.0.0.1:" + port + tenant.repositoryPath(),
        "HEAD:main");
    JsonNode build = tenant.awaitSucceeded(baseUrl(), 1);
    image = build.path("image").asString();

    Path repository = tenant.ids().repositoryIn(DATA_DIR);
    long repositoryMib =
        mib(Long.parseLong(Commands.ok("du", "-sb", repository.toString()).split("\\s+")[0]));
    long imageMib =
        mib(
            Long.parseLong(
                Commands.ok("podman", "image", "inspect", "--format", "{{.Size}}", image)));
    long storeMib = mib(dfUsedBytes(storeOf(tenant)));
    assertThat(repositoryMib).isGreaterThanOrEqualTo(3);
    assertThat(imageMib).isGreaterThanOrEqualTo(4); // the base's busybox and the blob
    assertThat(storeMib).isGreaterThanOrEqualTo(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(measured(tenant))
                    .isEqualTo(
                        Map.of("build-store", storeMib, "git", repositoryMib, "images", imageMib)));
    // the storage meter is the sum of its parts
    assertThat(storageUsed(tenant)).isEqualTo(storeMib + repositoryMib + imageMib);
    // figures lost or never taken (an upgrade) are measured again when the service starts
    tenants.recordMeasured(tenant.tenant, StorageUsage.GIT, 0);
    tenants.recordMeasured(tenant.tenant, StorageUsage.IMAGES, 0);
    assertThat(measured(tenant)).containsEntry("git", 0L).containsEntry("images", 0L);
    startup.measureAll();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(measured(tenant))
                    .containsEntry("git", repositoryMib)
                    .containsEntry("images", imageMib));
    // the other tenant stores nothing here, and nothing of this one is counted to it
    assertThat(measured(other)).isEmpty();
    assertThat(storageUsed(other)).isZero();

    tenant.deleteApp();

    // its repository and its image go, and so do their figures (the store keeps its cache)
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Map<String, Long> left = measured(tenant);
              assertThat(left).containsEntry("git", 0L).containsEntry("images", 0L);
            });
    assertThat(repository).doesNotExist();
    assertThat(Commands.run("podman", "image", "exists", image).exitCode()).isEqualTo(1);
    assertThat(measured(other)).isEmpty();
  }

  private static long mib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }

  /** The tenant's build store's mount point, beside its workspace in its sandbox directory. */
  private Path storeOf(Tenancy tenant) throws java.io.IOException {
    return sandbox.workspace(tenant.ids().tenantId()).resolveSibling("store");
  }

  /** What {@code df} says the file system mounted there uses, in bytes. */
  private static long dfUsedBytes(Path mountPoint) {
    String[] lines = Commands.ok("df", "-B1", "--output=used", mountPoint.toString()).split("\n");
    return Long.parseLong(lines[lines.length - 1].strip());
  }

  /** The tenant's measured storage by key, as its owner reads its usage. */
  private static Map<String, Long> measured(Tenancy tenant) {
    return tenant.measuredStorage();
  }

  private static long storageUsed(Tenancy tenant) {
    return tenant.usage().path("used").path("storageMib").asLong();
  }
}
