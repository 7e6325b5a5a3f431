package io.slipway.build.queue;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The queue's claim order and concurrency on real PostgreSQL, with no workers running (so the test
 * claims by hand) and a database of its own.
 */
@SpringBootTest(properties = "slipway.build.workers=0")
class BuildQueueIT {

  private static final String DATABASE = TestPostgres.newDatabase();

  @Autowired BuildQueue queue;
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
            new AppRef(tenant, "web", "site"), "a".repeat(40), "refs/heads/main", "u"));
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
}
