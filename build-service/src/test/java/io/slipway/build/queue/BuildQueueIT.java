package io.slipway.build.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.tenant.AppIds;
import io.slipway.testing.TestIds;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The queue's claim order and concurrency, and the deploy requests succeeded builds owe, on real
 * PostgreSQL, with no workers running (so the test claims by hand and nothing resends deploys) and
 * a database of its own.
 */
@SpringBootTest(properties = "slipway.build.workers=0")
class BuildQueueIT {

  private static final String DATABASE = TestPostgres.newDatabase();

  @Autowired BuildQueue queue;
  @Autowired OwedDeploys owed;
  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add("slipway.build.client-secret", () -> "unused");
    // the platform keyring is generated at start: keep it out of the source tree
    registry.add("slipway.build.data-dir", () -> "target/build-queue-it-data");
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestKeycloak::issuer);
  }

  @BeforeEach
  void empty() {
    jdbc.sql("delete from build").update();
  }

  private Build push(String tenant) {
    return queue.enqueue(
        new BuildRequest(
            new AppRef(tenant, "web", "site"),
            ids(tenant, "site"),
            "a".repeat(40),
            "refs/heads/main",
            "u"));
  }

  private static AppIds ids(String tenant, String app) {
    return new AppIds(
        TestIds.tenant(tenant), TestIds.project(tenant, "web"), TestIds.app(tenant, "web", app));
  }

  private String claimed() {
    return queue.claim().map(b -> b.tenant() + "#" + b.number()).orElse("none");
  }

  @Test
  void anIdleWorkerIsWokenByAPushInsteadOfWaitingForItsNextPoll() throws Exception {
    long seen = queue.arrivals();
    assertThat(claimed()).isEqualTo("none");
    try (var worker = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> woken =
          worker.submit(
              () -> {
                queue.awaitArrival(seen, Duration.ofMinutes(10));
                return claimed();
              });
      push("eager");
      // without the wake-up the worker would sleep for its whole ten-minute poll
      assertThat(woken.get(1, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo("eager#1");
    }
    // a push between the read of arrivals() and the wait is not lost: the wait returns at once
    long before = queue.arrivals();
    push("racer");
    queue.awaitArrival(before, Duration.ofMinutes(10));
    assertThat(claimed()).isEqualTo("racer#1");
  }

  @Test
  void numbersBuildsPerAppAndTakesTenantsInTurn() {
    push("busy");
    push("busy");
    push("busy");
    push("quiet");

    assertThat(claimed()).isEqualTo("busy#1");
    assertThat(claimed()).isEqualTo("quiet#1"); // not busy#2: quiet has not had a turn
    assertThat(claimed()).isEqualTo("busy#2");
    push("late");
    assertThat(claimed()).isEqualTo("late#1");
    assertThat(claimed()).isEqualTo("busy#3");
    assertThat(claimed()).isEqualTo("none");
  }

  @Test
  void aBuildWaitingForQuotaIsNotRetriedBeforeItsTime() {
    Build build = push("waiting");
    assertThat(queue.claim()).isPresent();
    queue.requeue(build.id(), "waiting for build quota: full", Duration.ofMinutes(1));

    assertThat(queue.claim()).isEmpty();
    Build waiting = queue.byId(build.id()).orElseThrow();
    assertThat(waiting.status()).isEqualTo("queued");
    assertThat(waiting.reason()).isEqualTo("waiting for build quota: full");
  }

  @Test
  void concurrentWorkersNeverClaimTheSameBuild() throws Exception {
    for (int i = 0; i < 40; i++) {
      push("t" + (i % 4));
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Future<Integer>> claims = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(4)) {
      for (int worker = 0; worker < 4; worker++) {
        claims.add(
            pool.submit(
                () -> {
                  int count = 0;
                  for (var build = queue.claim(); build.isPresent(); build = queue.claim()) {
                    assertThat(seen.add(build.get().id().toString())).isTrue();
                    count++;
                  }
                  return count;
                }));
      }
      int total = 0;
      for (Future<Integer> claim : claims) {
        total += claim.get();
      }
      assertThat(total).isEqualTo(40);
    }
    assertThat(seen).hasSize(40);
  }

  private Build succeeded(String tenant, String app) {
    Build build =
        queue.enqueue(
            new BuildRequest(
                new AppRef(tenant, "web", app),
                ids(tenant, app),
                "b".repeat(40),
                "refs/heads/main",
                "u"));
    assertThat(queue.claim()).map(Build::id).contains(build.id());
    queue.finish(build.id(), true, null, "localhost/" + tenant + "/web/" + app + ":b", "sha256:b");
    return build;
  }

  private boolean pending(Build build) {
    return jdbc.sql("select deploy_pending from build where id = :id")
        .param("id", build.id())
        .query(Boolean.class)
        .single();
  }

  @Test
  void aSucceededBuildOwesADeployRequestUntilItIsSettled() {
    Build build = succeeded("owing", "site");
    assertThat(owed.state(build.id())).isEqualTo(OwedDeploys.State.OWED);
    assertThat(queue.byId(build.id()).orElseThrow().deploy().pending()).isTrue();

    owed.settle(build.id(), "failed", 4, null, "the app exited with code 3 at start");

    assertThat(owed.state(build.id())).isEqualTo(OwedDeploys.State.SETTLED);
    Build.Deploy deploy = queue.byId(build.id()).orElseThrow().deploy();
    assertThat(deploy.failed()).isTrue();
    assertThat(deploy.revision()).isEqualTo(4);
    assertThat(deploy.reason()).isEqualTo("the app exited with code 3 at start");
    assertThat(deploy.at()).isNotNull();
    assertThat(owed.claim(Set.of(), Duration.ZERO, 10)).isEmpty();
  }

  @Test
  void aFailedBuildOwesNothing() {
    Build build = push("failing");
    assertThat(queue.claim()).isPresent();
    queue.finish(build.id(), false, "buildah bud failed with exit code 1", null, null);

    assertThat(owed.state(build.id())).isEqualTo(OwedDeploys.State.SETTLED);
    assertThat(queue.byId(build.id()).orElseThrow().deploy()).isNull();
    assertThat(owed.claim(Set.of(), Duration.ZERO, 10)).isEmpty();
  }

  @Test
  void onlyTheLatestOwedBuildOfEachAppIsClaimedAndOlderOnesAreSuperseded() {
    Build first = succeeded("acme", "site");
    Build second = succeeded("acme", "site");
    Build blog = succeeded("acme", "blog");
    Build failedSite = push("acme"); // acme/web/site #3: it fails, and supersedes nothing
    assertThat(queue.claim()).map(Build::id).contains(failedSite.id());
    queue.finish(failedSite.id(), false, "failed", null, null);
    assertThat(owed.state(first.id())).isEqualTo(OwedDeploys.State.SUPERSEDED);

    List<Build> claimed = owed.claim(Set.of(), Duration.ofMinutes(1), 10);

    assertThat(claimed).extracting(Build::id).containsExactlyInAnyOrder(second.id(), blog.id());
    assertThat(claimed)
        .filteredOn(build -> build.id().equals(second.id()))
        .singleElement()
        .satisfies(
            build -> {
              assertThat(build.image()).isEqualTo("localhost/acme/web/site:b");
              assertThat(build.digest()).isEqualTo("sha256:b");
            });
    // the superseded build is settled in the database, never to be deployed
    assertThat(pending(first)).isFalse();
    assertThat(queue.byId(first.id()).orElseThrow().deploy().status()).isEqualTo("superseded");
    // claimed for a minute: not claimed again meanwhile, by this instance or another, but owed
    assertThat(owed.claim(Set.of(), Duration.ofMinutes(1), 10)).isEmpty();
    assertThat(owed.state(second.id())).isEqualTo(OwedDeploys.State.OWED);
  }

  @Test
  void aClaimLeavesOutRequestsInFlightAndTakesThemOnceTheLeaseHasEnded() {
    Build site = succeeded("lease", "site");
    Build blog = succeeded("lease", "blog");

    assertThat(owed.claim(Set.of(site.id()), Duration.ZERO, 10))
        .extracting(Build::id)
        .containsExactly(blog.id());
    assertThat(owed.claim(Set.of(), Duration.ZERO, 10))
        .extracting(Build::id)
        .containsExactlyInAnyOrder(site.id(), blog.id());
  }

  @Test
  void concurrentResendersNeverClaimTheSameDeployRequest() throws Exception {
    for (int i = 0; i < 20; i++) {
      succeeded("r" + (i % 4), "app" + i);
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Future<Integer>> claims = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(4)) {
      for (int resender = 0; resender < 4; resender++) {
        claims.add(
            pool.submit(
                () -> {
                  int count = 0;
                  for (var batch = owed.claim(Set.of(), Duration.ofMinutes(1), 2);
                      !batch.isEmpty();
                      batch = owed.claim(Set.of(), Duration.ofMinutes(1), 2)) {
                    for (Build build : batch) {
                      assertThat(seen.add(build.id().toString())).isTrue();
                      count++;
                    }
                  }
                  return count;
                }));
      }
      int total = 0;
      for (Future<Integer> claim : claims) {
        total += claim.get();
      }
      assertThat(total).isEqualTo(20);
    }
  }
}
