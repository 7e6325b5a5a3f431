package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.secret.SecretBox;
import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.Router;
import io.slipway.testing.TestPostgres;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two runtime-bridge replicas publishing the domain challenges to one router, on one real
 * PostgreSQL: a replica that read the claims before an app was deleted cannot write its older set
 * after the deletion was published (the deleted app's challenge answered again).
 */
class ChallengeRoutesIT {

  /** A thread per replica (the common pool may have one worker). */
  private static final Executor THREADS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());

  /** The one router both replicas write: what it answers is the last set written. */
  private final AtomicReference<List<Challenge>> served = new AtomicReference<>(List.of());

  @Test
  void aReplicaWithAnOlderSetCannotWriteItAfterANewerOne() throws Exception {
    DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.newDatabase());
    Flyway.configure().dataSource(db).locations("classpath:runtime-db/migration").load().migrate();
    JdbcClient jdbc = JdbcClient.create(db);
    jdbc.sql("insert into app (tenant, project, app) values ('acme', 'web', 'site')").update();
    jdbc.sql(
            "insert into domain (domain, tenant, project, app, token)"
                + " values ('shop.example', 'acme', 'web', 'site', 'tok')")
        .update();

    CountDownLatch slowHasRead = new CountDownLatch(1);
    CountDownLatch slowMayWrite = new CountDownLatch(1);
    ChallengeRoutes slow =
        replica(
            db,
            jdbc,
            challenges -> {
              slowHasRead.countDown();
              await(slowMayWrite);
              served.set(challenges);
            });
    ChallengeRoutes fast = replica(db, jdbc, served::set);

    CompletableFuture<Void> stale = CompletableFuture.runAsync(slow::publish, THREADS);
    assertThat(slowHasRead.await(30, TimeUnit.SECONDS)).isTrue();
    // the app is deleted and its replica publishes while the slow one still holds its older set
    jdbc.sql("delete from domain").update();
    CompletableFuture<Void> fresh = CompletableFuture.runAsync(fast::publish, THREADS);
    try {
      fresh.get(2, TimeUnit.SECONDS); // unserialised, it would be done by now
    } catch (TimeoutException waitingItsTurn) {
      // serialised: it waits for the slow replica
    }
    slowMayWrite.countDown();
    stale.get(30, TimeUnit.SECONDS);
    fresh.get(30, TimeUnit.SECONDS);

    assertThat(served.get()).as("the deleted app's challenge is not answered").isEmpty();
  }

  private static ChallengeRoutes replica(
      DriverManagerDataSource db, JdbcClient jdbc, ChallengeWriter writer) {
    byte[] key = new byte[32];
    AppConfigStore configs =
        new AppConfigStore(jdbc, SecretBox.fromBase64(Base64.getEncoder().encodeToString(key)));
    Router router =
        new Router() {
          @Override
          public void route(AppRef ref, List<String> hosts, List<String> upstreams) {}

          @Override
          public void serveChallenges(List<Challenge> challenges) {
            writer.write(challenges);
          }

          @Override
          public void unroute(AppRef ref) {}

          @Override
          public Set<AppRef> routed() {
            return Set.of();
          }
        };
    return new ChallengeRoutes(
        configs, router, jdbc, new TransactionTemplate(new DataSourceTransactionManager(db)));
  }

  private interface ChallengeWriter {
    void write(List<Challenge> challenges);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
