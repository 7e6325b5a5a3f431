package io.slipway.build.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.support.BuildLogs;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.build.tenant.AppIds;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The retention job, driven through its bean on real PostgreSQL and real sandboxed builds: logs
 * past retention expire except each app's newest 10 (the builds stay listed), a stale build store
 * is emptied and its measured usage falls, a second pass changes nothing, a pass killed half-way is
 * finished by the next, the tenant's next build works, and another tenant's logs and store, though
 * its project and app have the same names, are never touched.
 */
@ExtendWith(StaticBase.class)
// every build in a container of its own: a warm builder would hold the store, and the pass leaves
// a store with a container alone
@TestPropertySource(properties = "slipway.build.sandbox.warm-idle=0s")
class BuildRetentionIT extends BuildServiceTest {

  private static final long MIB = 1024 * 1024;

  @Autowired BuildRetention retention;
  @Autowired BuildSandbox sandbox;
  @Autowired JdbcClient jdbc;
  @TempDir Path work;

  @Test
  void logsPastRetentionExpireExceptEachAppsNewestTenAndNoOtherTenantsLog() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Tenancy other = new Tenancy(TestTenantService.url());
    Instant old = Instant.now().minus(Duration.ofDays(40));
    // 12 builds ended 40 days ago and one yesterday: the newest 10 are 4 to 13
    for (int number = 1; number <= 12; number++) {
      insertBuild(tenant, number, old);
    }
    insertBuild(tenant, 13, Instant.now().minus(Duration.ofDays(1)));
    // the other tenant's project and app have the same names; its 5 old builds are its newest
    for (int number = 1; number <= 5; number++) {
      insertBuild(other, number, old);
    }

    // two instances passing at once remove each log once
    Callable<Integer> pass = () -> retention.pass().logsExpired();
    try (var both = Executors.newFixedThreadPool(2)) {
      var first = both.submit(pass);
      var second = both.submit(pass);
      assertThat(first.get() + second.get()).isEqualTo(3);
    }

    String note = new LogRetention(Duration.ofDays(30)).note();
    for (int number = 1; number <= 3; number++) {
      JsonNode build = tenant.build(baseUrl(), number);
      assertThat(build.path("status").asString()).isEqualTo("succeeded");
      assertThat(build.path("commitId").asString()).isEqualTo(commit(number));
      assertThat(tenant.log(baseUrl(), number))
          .contains(note.strip())
          .doesNotContain(log(number).strip());
    }
    for (int number = 4; number <= 13; number++) {
      assertThat(tenant.log(baseUrl(), number)).contains(log(number).strip());
    }
    for (int number = 1; number <= 5; number++) {
      assertThat(other.log(baseUrl(), number))
          .contains(log(number).strip())
          .doesNotContain(note.strip());
    }

    // a second pass (or one of another instance) finds nothing left to do
    assertThat(retention.pass().logsExpired()).isZero();
    assertThat(tenant.log(baseUrl(), 4)).contains(log(4).strip());
    assertThat(other.log(baseUrl(), 1)).contains(log(1).strip());
  }

  @Test
  void aStaleBuildStoreIsEmptiedItsUsageFallsAndAnotherTenantsStoreStays() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Tenancy other = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repo = repositoryWithBlob(git, work.resolve("app"));
    tenant.push(git, repo, port);
    other.push(git, repo, port);
    images.add(tenant.awaitSucceeded(baseUrl(), 1).path("image").asString());
    images.add(other.awaitSucceeded(baseUrl(), 1).path("image").asString());
    Path store = storeOf(tenant);
    Path otherStore = storeOf(other);
    List<String> otherFiles = files(otherStore);
    long before = sandbox.storeUsedMib(tenant.ids().tenantId()).orElseThrow();
    assertThat(before).isGreaterThanOrEqualTo(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(measuredStore(tenant)).isEqualTo(before));
    long otherMeasured = measuredStore(other);
    // the tenant's store was last used 20 days ago; an earlier pass was killed after it had moved
    // the cache aside
    backdateStore(tenant, Duration.ofDays(20));
    Path killed = Files.createDirectories(store.resolve(".expired/killed-pass"));
    Files.move(store.resolve("cache"), killed.resolve("cache"));

    BuildRetention.Pass pass = retention.pass();

    assertThat(pass.storesEmptied()).containsExactly(tenant.ids().tenantId());
    assertThat(store.resolve("storage")).doesNotExist();
    assertThat(store.resolve("cache")).doesNotExist();
    assertThat(store.resolve(".expired")).doesNotExist();
    long after = sandbox.storeUsedMib(tenant.ids().tenantId()).orElseThrow();
    assertThat(after).isLessThan(before);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(measuredStore(tenant)).isEqualTo(after));
    // the other tenant's store, used just now, is as its build left it, and so is its figure
    assertThat(files(otherStore)).isEqualTo(otherFiles);
    assertThat(measuredStore(other)).isEqualTo(otherMeasured);

    // a second pass finds nothing left to do
    assertThat(retention.pass().storesEmptied()).isEmpty();
    assertThat(files(otherStore)).isEqualTo(otherFiles);

    // the tenant's next build starts from an empty store and works
    git.ok(repo, "commit", "-q", "--allow-empty", "-m", "again");
    tenant.push(git, repo, port);
    images.add(tenant.awaitSucceeded(baseUrl(), 2).path("image").asString());
    assertThat(store.resolve("storage")).isDirectory();
  }

  /**
   * A busy tenant's build store keeps only the images of each app's newest two builds: older ones
   * go at the next pass (the builds stay listed with their image names), another tenant's store is
   * not touched, and a second pass finds nothing to do.
   */
  @Test
  void aBuildStoreKeepsOnlyEachAppsNewestBuildsImages() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Tenancy other = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repo = repositoryWithBlob(git, work.resolve("busy"));
    List<String> built = new java.util.ArrayList<>();
    for (int number = 1; number <= 3; number++) {
      if (number > 1) {
        git.ok(repo, "commit", "-q", "--allow-empty", "-m", "build " + number);
      }
      tenant.push(git, repo, port);
      built.add(tenant.awaitSucceeded(baseUrl(), number).path("image").asString());
    }
    other.push(git, repo, port);
    String othersImage = other.awaitSucceeded(baseUrl(), 1).path("image").asString();
    images.addAll(built);
    images.add(othersImage);
    assertThat(sandbox.storeImages(tenant.ids().tenantId())).containsAll(built);
    List<String> othersBefore = sandbox.storeImages(other.ids().tenantId());
    assertThat(othersBefore).contains(othersImage);

    BuildRetention.Pass pass = retention.pass();

    assertThat(pass.storeImagesPruned()).containsExactly(tenant.ids().tenantId());
    assertThat(sandbox.storeImages(tenant.ids().tenantId()))
        .doesNotContain(built.get(0))
        .contains(built.get(1), built.get(2));
    assertThat(sandbox.storeImages(other.ids().tenantId())).isEqualTo(othersBefore);
    assertThat(tenant.build(baseUrl(), 1).path("image").asString()).isEqualTo(built.get(0));
    // build 1 is recorded as done, so the next pass does not ask the tenant's store again
    assertThat(
            jdbc.sql(
                    "select number from build where tenant_id = ? and store_image_pruned_at"
                        + " is not null")
                .param(tenant.ids().tenantId())
                .query(Integer.class)
                .list())
        .containsExactly(1);
    assertThat(retention.pass().storeImagesPruned()).isEmpty();
  }

  /**
   * The first stage of a multi-stage build is no part of the image, so each build leaves its end in
   * the store as cache: a pass removes what older builds left, and the layers the kept builds'
   * cache shares with them stay, so the app's next build still takes its dependency step from the
   * cache.
   */
  @Test
  void olderBuildsStageCacheLeavesAndTheNextBuildIsStillWarm() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    String tenantId = tenant.ids().tenantId();
    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(
            work.resolve("stages"),
            Map.of(
                "Containerfile",
                """
                FROM %s AS build
                COPY deps.txt /w/deps.txt
                RUN ["/bin/busybox", "cp", "/w/deps.txt", "/w/deps-installed"]
                COPY index.html /w/index.html
                RUN ["/bin/busybox", "cp", "/w/index.html", "/w/page.html"]
                FROM %s
                COPY --from=build /w/page.html /www/index.html
                """
                    .formatted(STATIC_BASE_IMAGE, STATIC_BASE_IMAGE),
                "deps.txt",
                "left-pad 1.3.0\n",
                "index.html",
                "<p>1</p>\n"));
    for (int number = 1; number <= 3; number++) {
      if (number > 1) {
        Files.writeString(repo.resolve("index.html"), "<p>" + number + "</p>\n");
        git.ok(repo, "commit", "-q", "-am", "page " + number);
      }
      tenant.push(git, repo, port);
      images.add(tenant.awaitSucceeded(baseUrl(), number).path("image").asString());
      // apart by more than the clocks' slack, so which build made each cache image is certain
      Thread.sleep(StoreCache.SLACK.multipliedBy(2));
    }
    List<BuildSandbox.CacheImage> before =
        sandbox.storeCacheImages(tenantId).stream()
            .sorted(java.util.Comparator.comparing(BuildSandbox.CacheImage::created))
            .toList();
    // one end of a first stage per build
    assertThat(before).hasSize(3);

    assertThat(retention.pass().storeImagesPruned()).containsExactly(tenantId);

    assertThat(sandbox.storeCacheImages(tenantId))
        .containsExactlyInAnyOrderElementsOf(before.subList(1, 3));
    Files.writeString(repo.resolve("index.html"), "<p>4</p>\n");
    git.ok(repo, "commit", "-q", "-am", "page 4");
    tenant.push(git, repo, port);
    images.add(tenant.awaitSucceeded(baseUrl(), 4).path("image").asString());
    String log = tenant.log(baseUrl(), 4);
    assertThat(BuildLogs.cachedStep(log, "deps-installed")).as(log).isTrue();
  }

  private void insertBuild(Tenancy tenancy, int number, Instant ended) {
    AppIds ids = tenancy.ids();
    jdbc.sql(
            """
            insert into build (id, tenant, project, app, tenant_id, project_id, app_id, number,
                               commit_id, ref, pushed_by, status, log, created_at, started_at,
                               finished_at)
            values (:id, :tenant, :project, :app, :tenantId, :projectId, :appId, :number, :commit,
                    'refs/heads/main', 'dev', 'succeeded', :log, :at, :at, :at)
            """)
        .param("id", UUID.randomUUID())
        .param("tenant", tenancy.tenant)
        .param("project", tenancy.project)
        .param("app", tenancy.app)
        .param("tenantId", ids.tenantId())
        .param("projectId", ids.projectId())
        .param("appId", ids.appId())
        .param("number", number)
        .param("commit", commit(number))
        .param("log", log(number))
        .param("at", Timestamp.from(ended))
        .update();
  }

  private static String commit(int number) {
    return String.format("%040x", number);
  }

  private static String log(int number) {
    return "STEP 1/1: the output of build " + number + "\n";
  }

  private void backdateStore(Tenancy tenancy, Duration by) {
    assertThat(
            jdbc.sql("update build_sandbox_tenant set used_at = ? where tenant = ?")
                .param(Timestamp.from(Instant.now().minus(by)))
                .param(tenancy.ids().tenantId())
                .update())
        .isEqualTo(1);
  }

  /** A repository whose Containerfile copies 3 MiB that do not compress into the image. */
  private static Path repositoryWithBlob(GitCli git, Path dir) throws Exception {
    Path repo =
        git.newRepository(
            dir,
            Map.of(
                "Containerfile",
                "FROM " + STATIC_BASE_IMAGE + "\nCOPY blob.bin /www/blob.bin\n",
                "index.html",
                "<p>hello</p>\n"));
    byte[] blob = new byte[3 * (int) MIB];
    new Random(26).nextBytes(blob);
    Files.write(repo.resolve("blob.bin"), blob);
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "blob");
    return repo;
  }

  /** The tenant's build store's mount point, beside its workspace in its sandbox directory. */
  private Path storeOf(Tenancy tenancy) throws java.io.IOException {
    return sandbox.workspace(tenancy.ids().tenantId()).resolveSibling("store");
  }

  /** Every path in a store with its size: what a pass must leave as it was. */
  private static List<String> files(Path store) throws java.io.IOException {
    try (Stream<Path> paths = Files.walk(store)) {
      return paths
          .filter(path -> !Files.isSymbolicLink(path))
          .map(path -> store.relativize(path) + " " + path.toFile().length())
          .sorted()
          .toList();
    }
  }

  /** The tenant's measured build store, as its owner reads its usage. */
  private static long measuredStore(Tenancy tenancy) {
    return tenancy.measuredStorage().getOrDefault("build-store", -1L);
  }
}
