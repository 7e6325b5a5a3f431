package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.tenant.AuditEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * app.json's cron entries (issue 27) with real podman and PostgreSQL. The schedules are every
 * minute; time is the test's own clock, moved by hand, so nothing waits for minutes. Several
 * schedulers on one database stand for several replicas (and a fresh one for a restarted replica):
 * each firing runs once; a firing while the entry's previous run still runs is recorded as skipped;
 * a stopped or deleted app fires nothing; the runs are one-off runs in the app's image with its
 * hardening, audited, listed with the entry, and closed to other tenants.
 */
class CronSchedulerIT extends ApiFixture {

  @Autowired CronTable table;
  @Autowired CronStore cronStore;
  @Autowired RunStore runStore;
  @Autowired AuditEvents audit;
  @Autowired TransactionTemplate tx;
  @Autowired RuntimeProperties properties;
  @Autowired Invoker invoker;

  /** The time the schedulers take for now, moved by the test. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void eachFiringRunsOnceAcrossReplicasAndARestartInTheAppsImage() throws Exception {
    String alice = aliceWithApp();
    try {
      deploy(
          alice,
          image(
              "cron-once",
              "echo ran $GREETING; /bin/busybox id -u; /bin/busybox touch /x 2>/dev/null"
                  + " || echo read-only; /bin/busybox grep CapEff /proc/self/status",
              "* * * * *"));
      AppRef ref = site(alice);
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
      TestClock clock = new TestClock(t0.plusSeconds(5));
      CronScheduler first = scheduler(clock);
      CronScheduler second = scheduler(clock);

      List<Thread> started = tickTogether(first, second);

      assertThat(started).hasSize(1);
      join(started);
      assertThat(cronRuns(ref)).isEqualTo(1);
      JsonNode cron = bridge(alice, "GET", appPath + "/cron", null, 200);
      JsonNode entry = cron.path("entries").get(0);
      assertThat(cron.path("timeZone").asString()).isEqualTo("UTC");
      assertThat(entry.path("schedule").asString()).isEqualTo("* * * * *");
      assertThat(entry.path("nextRunAt").isNull()).isFalse();
      JsonNode last = entry.path("lastRuns").get(0);
      assertThat(last.path("dueAt").asString()).isEqualTo(t0.toString());
      assertThat(last.path("status").asString()).as(last.toString()).isEqualTo("succeeded");
      assertThat(last.path("exitCode").asInt()).isZero();
      // a one-off of the app's image: its variables, its user, read-only root, no capability
      JsonNode run =
          bridge(alice, "GET", appPath + "/runs/" + last.path("runId").asString(), null, 200);
      assertThat(run.path("output").asString())
          .isEqualTo("ran hello\n65534\nread-only\nCapEff:\t0000000000000000");
      assertThat(run.path("runBy").asString()).isEqualTo("cron");
      assertThat(run.path("cronEntry").asString()).isEqualTo(entry.path("id").asString());
      assertThat(containers(true)).hasSize(1).noneMatch(n -> n.contains("-run-"));

      // A replica that starts afresh finds the firing claimed; the next minute runs once.
      CronScheduler restarted = scheduler(clock);
      clock.set(t0.plusSeconds(40));
      assertThat(restarted.tick()).isEmpty();
      clock.set(t0.plusSeconds(62));
      List<Thread> next = new ArrayList<>(restarted.tick());
      next.addAll(tickTogether(first, second));
      assertThat(next).hasSize(1);
      join(next);
      assertThat(cronRuns(ref)).isEqualTo(2);

      // Ten minutes later (nobody looked meanwhile): the latest firing runs, not all the missed.
      clock.set(t0.plus(10, ChronoUnit.MINUTES).plusSeconds(20));
      join(tickTogether(first, second));
      assertThat(cronRuns(ref)).isEqualTo(3);
      assertThat(
              bridge(alice, "GET", appPath + "/cron", null, 200)
                  .path("entries")
                  .get(0)
                  .path("lastRuns")
                  .findValuesAsString("dueAt"))
          .containsExactly(
              t0.plus(10, ChronoUnit.MINUTES).toString(),
              t0.plus(1, ChronoUnit.MINUTES).toString(),
              t0.toString());

      // Audited as the platform's runs, with the entry and the time it was due.
      List<JsonNode> audited = new ArrayList<>();
      JSON.readTree(
              tenantService(
                  alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
          .path("items")
          .forEach(audited::add);
      assertThat(audited)
          .filteredOn(e -> e.path("action").asString().equals("app.run"))
          .hasSize(3)
          .allSatisfy(
              e -> {
                assertThat(e.path("actor").asString()).isEqualTo("runtime-bridge");
                assertThat(e.path("after").path("cron").asString())
                    .isEqualTo(entry.path("id").asString());
              })
          .extracting(e -> e.path("after").path("due").asString())
          .contains(t0.toString());

      // Another tenant sees no cron list; a viewer reads it.
      bridge(user("mallory"), "GET", appPath + "/cron", null, 404);
      String viewer = user("victor");
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/members/victor-" + suffix,
          "{\"role\":\"viewer\"}",
          200);
      bridge(viewer, "GET", appPath + "/cron", null, 200);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aFiringWhileThePreviousRunStillRunsIsSkipped() throws Exception {
    String alice = aliceWithApp();
    try {
      deploy(alice, image("cron-slow", "echo started; /bin/busybox sleep 5", "* * * * *"));
      AppRef ref = site(alice);
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
      TestClock clock = new TestClock(t0.plusSeconds(1));
      CronScheduler scheduler = scheduler(clock);
      CronScheduler other = scheduler(clock);

      List<Thread> slow = scheduler.tick();
      assertThat(slow).hasSize(1);
      clock.set(t0.plusSeconds(61));
      assertThat(other.tick()).as("the first run still runs").isEmpty();
      join(slow);
      clock.set(t0.plusSeconds(121));
      join(other.tick());

      JsonNode lastRuns =
          bridge(alice, "GET", appPath + "/cron", null, 200)
              .path("entries")
              .get(0)
              .path("lastRuns");
      assertThat(lastRuns.findValuesAsString("status"))
          .containsExactly("succeeded", "skipped", "succeeded");
      assertThat(lastRuns.get(1).path("reason").asString()).contains("still ran");
      assertThat(lastRuns.get(1).path("runId").isNull()).isTrue();
      assertThat(lastRuns.get(2).path("durationMs").asLong()).isGreaterThanOrEqualTo(5_000);
      assertThat(cronRuns(ref)).isEqualTo(2);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aStoppedOrDeletedAppFiresNothingAndABadScheduleRefusesTheDeploy() throws Exception {
    String alice = aliceWithApp();
    try {
      JsonNode refused =
          bridge(
              alice,
              "POST",
              appPath + "/deployments",
              deployment(image("cron-bad", "true", "*/0 * * * *"), 1, null),
              422);
      assertThat(refused.path("type").asString()).endsWith("/invalid-app-json");
      assertThat(refused.path("detail").asString())
          .contains("cron entry 1 (\"*/0 * * * *\") whose schedule has a minute step outside");
      assertThat(containers(true)).isEmpty();

      deploy(alice, image("cron-stop", "echo tick", "* * * * *"));
      AppRef ref = site(alice);
      bridge(alice, "POST", appPath + "/stop", null, 200);
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
      TestClock clock = new TestClock(t0.plusSeconds(1));
      CronScheduler scheduler = scheduler(clock);

      assertThat(scheduler.tick()).isEmpty();
      clock.set(t0.plusSeconds(61));
      assertThat(scheduler.tick()).isEmpty();
      JsonNode cron = bridge(alice, "GET", appPath + "/cron", null, 200);
      assertThat(cron.path("stopped").asBoolean()).isTrue();
      assertThat(cron.path("entries").get(0).path("nextRunAt").isNull()).isTrue();
      assertThat(cron.path("entries").get(0).path("lastRuns")).isEmpty();

      // Started again, the next firing runs (none missed while stopped is made up for).
      bridge(alice, "POST", appPath + "/start", null, 200);
      Instant after = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
      clock.set(after.plusSeconds(1));
      join(scheduler.tick());
      assertThat(cronRuns(ref)).isEqualTo(1);

      bridge(alice, "DELETE", "/api/v1/tenants/" + tenant + "/projects/web/apps/site", null, 204);
      clock.set(after.plusSeconds(61));
      assertThat(scheduler.tick()).isEmpty();
      assertThat(cronRuns(ref)).isEqualTo(1);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aFunctionsEntryInvokesItWithTheCronEventAsAnActivation() throws Exception {
    String alice = aliceWithApp();
    try {
      String appJson = "{\"cron\":[{\"command\":\"unused\",\"schedule\":\"* * * * *\"}]}";
      deploy(alice, TestImages.function("cron", "LABEL io.slipway.app-json='" + appJson + "'"));
      AppRef ref = site(alice);
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
      TestClock clock = new TestClock(t0.plusSeconds(5));

      List<Thread> started = tickTogether(scheduler(clock), scheduler(clock));

      assertThat(started).hasSize(1);
      join(started);
      // invoked, not run as a command
      assertThat(cronRuns(ref)).isZero();
      String activations = appPath + "/activations";
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> bridge(alice, "GET", activations, null, 200).path("activations").size() == 1);
      JsonNode activation = bridge(alice, "GET", activations, null, 200).path("activations").get(0);
      assertThat(activation.path("trigger").asString()).isEqualTo("cron");
      assertThat(activation.path("status").asString()).isEqualTo("success");
      assertThat(activation.path("httpStatus").asInt()).isEqualTo(200);
      // the handler echoed the cron event
      assertThat(activation.path("resultBytes").asLong())
          .isEqualTo(
              ("{\"trigger\":\"cron\",\"schedule\":\"* * * * *\",\"scheduledAt\":\"" + t0 + "\"}")
                  .length());
      assertThat(
              jdbc.sql("select run_id from cron_firing where app_id = ?")
                  .param(ref.appId())
                  .query(String.class)
                  .single())
          .isEqualTo(activation.path("id").asString());
    } finally {
      forgetTenant();
    }
  }

  private CronScheduler scheduler(Clock clock) {
    return new CronScheduler(
        store, table, cronStore, runStore, runs, audit, tx, properties, invoker, clock);
  }

  /** Both schedulers look at the same moment, each from a thread of its own, twice. */
  private static List<Thread> tickTogether(CronScheduler a, CronScheduler b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<Thread>>> ticks = List.of(a::tick, b::tick, a::tick, b::tick);
      List<Thread> started = new ArrayList<>();
      for (Future<List<Thread>> tick : pool.invokeAll(ticks)) {
        started.addAll(tick.get());
      }
      return started;
    } finally {
      pool.shutdown();
    }
  }

  private static void join(List<Thread> runs) throws InterruptedException {
    for (Thread run : runs) {
      run.join(java.time.Duration.ofSeconds(60));
      assertThat(run.isAlive()).as("the run ended").isFalse();
    }
  }

  private long cronRuns(AppRef ref) {
    return jdbc.sql("select count(*) from app_run where app_id = ? and cron_entry is not null")
        .param(ref.appId())
        .query(Long.class)
        .single();
  }

  private void deploy(String token, String image) throws Exception {
    bridge(
        token,
        "POST",
        appPath + "/deployments",
        "{\"image\":\""
            + image
            + "\",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32,"
            + "\"env\":{\"GREETING\":\"hello\"}}",
        201);
  }

  /** An httpd whose app.json label has one cron entry, as build-service writes the label. */
  private static String image(String tag, String command, String schedule) {
    String appJson =
        "{\"cron\":[{\"command\":\"" + command + "\",\"schedule\":\"" + schedule + "\"}]}";
    return TestImages.dockerfile(
        tag,
        "",
        "COPY busybox /bin/sh\n"
            + "LABEL io.slipway.app-json='"
            + appJson
            + "'\n"
            + "CMD [\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
  }
}
