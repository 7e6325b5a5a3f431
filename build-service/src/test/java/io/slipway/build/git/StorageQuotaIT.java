package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant's storage quota, enforced before anything is built: with the real git client, a push
 * that would take the tenant's whole measured storage (repositories, images, build store) over its
 * quota is refused with the figures and what the tenant can delete, and nothing is queued; another
 * tenant with the same project and app names pushes as before and reads nothing of it.
 */
@ExtendWith(StaticBase.class)
class StorageQuotaIT extends BuildServiceTest {

  private static final int MIB = 1024 * 1024;

  @TempDir Path work;

  @Test
  void aPushOverTheTenantsStorageQuotaIsRefusedBeforeBuildingWithTheFigures() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Tenancy other = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repo = git.newRepository(work.resolve("site"), Map.of("index.html", "<p>hello</p>\n"));
    commitBlob(git, repo, 1);
    tenant.push(git, repo, port);
    images.add(tenant.awaitSucceeded(baseUrl(), 1).path("image").asString());
    // the repository, the image and the build store are all measured
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(tenant.measuredStorage())
                    .hasEntrySatisfying("git", mib -> assertThat(mib).isGreaterThanOrEqualTo(3))
                    .hasEntrySatisfying("images", mib -> assertThat(mib).isPositive())
                    .hasEntrySatisfying("build-store", mib -> assertThat(mib).isPositive()));
    long used = tenant.usage().path("used").path("storageMib").asLong();
    long limit = used + 1;
    setTenantStorageQuota(tenant, limit);

    commitBlob(git, repo, 2);
    GitCli.Result refused = git.run(repo, "push", url(tenant), "HEAD:main");

    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.output())
        .containsPattern(
            "! \\[remote rejected\\] HEAD -> main \\(the tenant's storage would be \\d+\\.\\d MiB,"
                + " over its storage quota of "
                + limit
                + " MiB \\(storageMib\\); it holds [^)]*git repositories \\d+ MiB[^)]*: delete"
                + " apps or projects it no longer needs \\(their repositories, images and build"
                + " cache go with them\\), or ask a platform admin for more\\)");
    // nothing was queued, and the refused pack does not stay in the repository
    assertThat(tenant.build(baseUrl(), null).path("total").asLong()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(StorageQuotaLimit.sizeOf(tenant.ids().repositoryIn(DATA_DIR)))
                    .isLessThan(5L * MIB));

    // the other tenant (the same project and app names) pushes both commits as before
    GitCli.Result accepted = git.run(repo, "push", url(other), "HEAD:main");
    assertThat(accepted.exitCode()).as(accepted.output()).isZero();
    assertThat(accepted.output()).doesNotContain(tenant.tenant).doesNotContain("storage quota");
    images.add(other.awaitSucceeded(baseUrl(), 1).path("image").asString());
  }

  private String url(Tenancy tenancy) {
    return "http://git:"
        + tenancy.owner.gitToken()
        + "@127.0.0.1:"
        + port
        + tenancy.repositoryPath();
  }

  /** Commits 3 MiB that do not compress. */
  private static void commitBlob(GitCli git, Path repo, int seed) throws Exception {
    byte[] blob = new byte[3 * MIB];
    new Random(seed).nextBytes(blob);
    Files.write(repo.resolve("blob-" + seed + ".bin"), blob);
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "blob " + seed);
  }

  /** Sets the tenant's storage quota as a platform admin does (every limit is sent). */
  private static void setTenantStorageQuota(Tenancy tenancy, long storageMib) {
    String name = "admin-" + UUID.randomUUID().toString().substring(0, 8);
    String admin = TestKeycloak.userToken(name, TestKeycloak.createUser(name, "platform-admin"));
    String url = TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/quota";
    Map<String, Object> limits = new HashMap<>();
    Json.get(admin, url)
        .json()
        .path("limits")
        .properties()
        .forEach(limit -> limits.put(limit.getKey(), limit.getValue().asLong()));
    limits.put("storageMib", storageMib);
    Json.Response put = Json.put(admin, url, limits);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
  }
}
