package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Several runtime-bridge replicas on one real PostgreSQL (the service's own migrations): one app
 * has one writer at a time, a dead replica's lease lapses, a live one's is renewed.
 */
class AppLeasesIT {

  private JdbcClient jdbc;
  private final List<AppLeases> replicas = new ArrayList<>();

  @BeforeEach
  void database() {
    DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.newDatabase());
    Flyway.configure().dataSource(db).locations("classpath:runtime-db/migration").load().migrate();
    jdbc = JdbcClient.create(db);
  }

  @AfterEach
  void stop() {
    replicas.forEach(AppLeases::close);
  }

  private AppLeases replica(Duration ttl) {
    AppLeases replica = new AppLeases(jdbc, ttl);
    replicas.add(replica);
    return replica;
  }

  @Test
  void anAppHeldByOneReplicaIsNotTakenByAnother() {
    AppLeases a = replica(Duration.ofSeconds(30));
    AppLeases b = replica(Duration.ofSeconds(30));
    assertThat(a.tryAcquire("aaaaaaaaaaaa")).isTrue();
    assertThat(b.tryAcquire("aaaaaaaaaaaa")).isFalse();
    assertThat(b.tryAcquire("abbbbbbbbbbb")).as("another app is free").isTrue();
    a.release("aaaaaaaaaaaa");
    assertThat(b.tryAcquire("aaaaaaaaaaaa")).isTrue();
    assertThat(a.tryAcquire("aaaaaaaaaaaa")).isFalse();
    // giving back what another replica holds changes nothing
    a.release("aaaaaaaaaaaa");
    assertThat(a.tryAcquire("aaaaaaaaaaaa")).isFalse();
  }

  @Test
  void aDeadReplicasLeaseLapsesAndALiveOnesIsRenewed() {
    AppLeases live = replica(Duration.ofSeconds(1));
    AppLeases dead = replica(Duration.ofSeconds(1));
    AppLeases other = replica(Duration.ofSeconds(1));
    assertThat(live.tryAcquire("aaaaaaaaaaaa")).isTrue();
    assertThat(dead.tryAcquire("abbbbbbbbbbb")).isTrue();
    dead.close(); // it stops renewing, as a replica that died would
    await().atMost(Duration.ofSeconds(10)).until(() -> other.tryAcquire("abbbbbbbbbbb"));
    // three lifetimes of the live replica's lease: renewed all along, never taken
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !other.tryAcquire("aaaaaaaaaaaa"));
  }

  @Test
  void replicasWorkingOnOneAppNeverOverlap() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<AppLeases> three =
        List.of(
            replica(Duration.ofSeconds(30)),
            replica(Duration.ofSeconds(30)),
            replica(Duration.ofSeconds(30)));
    try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
      List<Future<?>> work = new ArrayList<>();
      for (AppLeases replica : three) {
        work.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 15; i++) {
                    replica.acquire("aaaaaaaaaaaa");
                    try {
                      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                      // the work: long enough that replicas let in together would overlap
                      jdbc.sql("select pg_sleep(0.02)").query().singleRow();
                      done.incrementAndGet();
                      inside.decrementAndGet();
                    } finally {
                      replica.release("aaaaaaaaaaaa");
                    }
                  }
                }));
      }
      for (Future<?> each : work) {
        each.get();
      }
    }
    assertThat(done).hasValue(45);
    assertThat(most).as("replicas inside at once").hasValue(1);
  }
}
