package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.TestPostgres;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What the retention sweep forgets and keeps, on a real PostgreSQL with the service's own
 * migrations and time from the test's own clock.
 */
class RunRetentionIT {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String APP = "aaaaaaaaaaaa";
  private static final String GONE = "abbbbbbbbbbb";

  private JdbcClient jdbc;
  private RunRetention retention;

  @BeforeEach
  void database() {
    DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.newDatabase());
    Flyway.configure().dataSource(db).locations("classpath:runtime-db/migration").load().migrate();
    jdbc = JdbcClient.create(db);
    jdbc.sql(
            "insert into app (tenant, project, app, tenant_id, project_id, app_id, host_label)"
                + " values ('acme', 'web', 'shop', 'taaaaaaaaaaa', 'paaaaaaaaaaa', ?, 'h1')")
        .param(APP)
        .update();
    retention = new RunRetention(jdbc, Duration.ofDays(14), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void oldRunsAndFiringsGoWhileEachEntrysNewestFiveAndRunningRunsStay() {
    // a daily entry fired 20 to 13 days ago: the 5 newest stay although 4 of them are past 14 days
    for (int daysAgo = 20; daysAgo >= 13; daysAgo--) {
      Instant due = NOW.minus(Duration.ofDays(daysAgo));
      run(APP, "daily-" + daysAgo, due, due.plusSeconds(60));
      firing(APP, "daily", due, "daily-" + daysAgo);
    }
    // a weekly entry's only firing, two months old: it is all the entry's history
    Instant weekly = NOW.minus(Duration.ofDays(60));
    run(APP, "weekly", weekly, weekly.plusSeconds(5));
    firing(APP, "weekly", weekly, "weekly");
    // one-off runs: ended long ago, ended yesterday, still going (with its reservation)
    run(APP, "old-one-off", NOW.minus(Duration.ofDays(15)), NOW.minus(Duration.ofDays(15)));
    run(APP, "recent-one-off", NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofDays(1)));
    run(APP, "open-one-off", NOW.minus(Duration.ofDays(30)), null);
    // an app that was deleted: everything finished goes, however recent
    Instant yesterday = NOW.minus(Duration.ofDays(1));
    run(GONE, "gone-cron", yesterday, yesterday.plusSeconds(1));
    firing(GONE, "daily", yesterday, "gone-cron");
    run(GONE, "gone-open", yesterday, null);

    RunRetention.Swept swept = retention.sweep();

    assertThat(swept).isEqualTo(new RunRetention.Swept(4, 5));
    assertThat(
            jdbc.sql("select entry_id || '@' || extract(day from ? - due_at)::int from cron_firing")
                .param(Timestamp.from(NOW))
                .query(String.class)
                .list())
        .containsExactlyInAnyOrder(
            "daily@13", "daily@14", "daily@15", "daily@16", "daily@17", "weekly@60");
    assertThat(jdbc.sql("select id from app_run").query(String.class).list())
        .containsExactlyInAnyOrder(
            "daily-13",
            "daily-14",
            "daily-15",
            "daily-16",
            "daily-17",
            "weekly",
            "recent-one-off",
            "open-one-off",
            "gone-open");

    assertThat(retention.sweep())
        .as("a second sweep finds nothing more")
        .isEqualTo(new RunRetention.Swept(0, 0));
  }

  private void run(String appId, String id, Instant started, Instant finished) {
    jdbc.sql(
            "insert into app_run (id, app_id, tenant, revision, command, run_by, started_at,"
                + " deadline, finished_at, exit_code) values (?, ?, 'acme', 1, 'true', 'cron', ?, ?, ?, ?)")
        .params(
            id,
            appId,
            Timestamp.from(started),
            Timestamp.from(started.plus(Duration.ofMinutes(10))),
            finished == null ? null : Timestamp.from(finished),
            finished == null ? null : 0)
        .update();
  }

  private void firing(String appId, String entry, Instant due, String runId) {
    jdbc.sql(
            "insert into cron_firing (app_id, entry_id, due_at, schedule, run_id)"
                + " values (?, ?, ?, '@daily', ?)")
        .params(appId, entry, Timestamp.from(due), runId)
        .update();
  }
}
