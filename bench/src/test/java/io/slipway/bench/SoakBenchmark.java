package io.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.bench.PushToLiveBenchmark.Floor;
import io.slipway.bench.PushToLiveBenchmark.Stats;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Issue 26's soak: many pushes to a few static apps of one tenant whose image retention is low, on
 * the platform {@code ./slipway up} starts (ports, names and state of its own), with image
 * retention running every 10 s. Every window of pushes it measures the platform's images in the
 * host's store, its state directory and the window's push-to-live beside the raw-tools floor of the
 * same commit; at the end each app's newest revisions must still roll back. Asserts that the images
 * level off at retention (counts and bytes, never times) and that the kept revisions roll back.
 *
 * <p>{@code -Dsoak.pushes=300 -Dsoak.apps=10 -Dsoak.retention=3 -Dsoak.window=30}: the defaults.
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoakBenchmark {

  private static final int PUSHES = Integer.getInteger("soak.pushes", 300);
  private static final int APPS = Integer.getInteger("soak.apps", 10);
  private static final int RETENTION = Integer.getInteger("soak.retention", 3);
  private static final int WINDOW = Integer.getInteger("soak.window", 30);
  private static final Duration RETENTION_INTERVAL = Duration.ofSeconds(10);
  private static final String PREFIX = "slwsoak-";
  private static final String TENANT = "soak";
  private static final String APPS_PATH = "/tenants/" + TENANT + "/projects/web/apps/";
  private static final Pattern LIVE_AS = Pattern.compile("is live as revision (\\d+)");

  private ScriptedPlatform platform;
  private Path work;
  private Path state;
  private final List<String> report = new ArrayList<>();

  /** One app of the soak: its repository, and the text each of its revisions serves. */
  private record SoakApp(String name, String host, String remote, Path repository) {}

  /** What one window of pushes measured; {@code settled}: after retention's next pass. */
  private record Window(
      int pushes,
      long p50,
      long p95,
      long floor,
      Footprint.Images atEnd,
      Footprint.Images settled,
      long settleMillis,
      int bound,
      long stateBytes,
      long gitBytes,
      long buildStoreBytes,
      long databaseBytes) {

    /** The window as a row of the report's table. */
    String row() {
      return "| %d | %d | %d | %d | %d | %d (%d) | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |"
          .formatted(
              pushes,
              p50,
              p95,
              floor,
              atEnd.count(),
              settled.count(),
              bound,
              settleMillis / 1000.0,
              settled.bytes() / 1e6,
              gitBytes / 1e6,
              buildStoreBytes / 1e6,
              databaseBytes / 1e6,
              stateBytes / 1e6);
    }
  }

  @BeforeAll
  void startPlatform() throws IOException {
    work = Files.createTempDirectory("slipway-soak");
    state = work.resolve("state");
    platform =
        new ScriptedPlatform(PREFIX, work)
            .with("SLIPWAY_RUNTIME_RETENTION_INTERVAL", RETENTION_INTERVAL.toSeconds() + "s")
            .with("SLIPWAY_BUILD_RETENTION_INTERVAL", RETENTION_INTERVAL.toSeconds() + "s");
    assertThat(platform.slipway(state, "up", "-d").exit()).isZero();
  }

  @AfterAll
  void stopAndRemove() {
    report.forEach(System.out::println);
    if (platform != null) {
      platform.remove(state);
    }
    TestPlatform.deleteWork(work);
  }

  @Test
  void imagesLevelOffAtRetentionAndTheKeptRevisionsRollBack() throws Exception {
    Api tenants = new Api(platform.url("SLIPWAY_TENANT_PORT"), platform.aliceToken(state));
    tenants.post("/tenants", Map.of("name", TENANT)).expect(201);
    tenants.post("/tenants/" + TENANT + "/projects", Map.of("name", "web")).expect(201);
    tenants
        .put(
            "/tenants/" + TENANT + "/projects/web/quota",
            Map.of("cpuMillicores", 4000, "memoryMib", 8192, "apps", APPS))
        .expect(200);
    runtime()
        .put("/tenants/" + TENANT + "/image-retention", Map.of("revisions", RETENTION))
        .expect(200);
    String token =
        tenants
            .post("/tokens", Map.of("name", "soak", "scopes", List.of("git")))
            .expect(201)
            .json()
            .path("token")
            .asString();
    GitCli git = new GitCli(work);
    String page = Files.readString(Sample.STATIC_SITE.directory().resolve("index.html"));
    List<SoakApp> apps = new ArrayList<>();
    for (int a = 0; a < APPS; a++) {
      String name = "site" + a;
      JsonNode app =
          tenants
              .post("/tenants/" + TENANT + "/projects/web/apps", Map.of("name", name))
              .expect(201)
              .json();
      String remote =
          platform.url("SLIPWAY_BUILD_PORT").replace("://", "://git:" + token + "@")
              + "/git/"
              + TENANT
              + "/web/"
              + name
              + ".git";
      Path repository = git.newRepository(work.resolve(name), Map.of("index.html", page));
      apps.add(
          new SoakApp(
              name, app.path("hostLabel").asString() + ".apps.localhost", remote, repository));
    }

    List<Map<Integer, String>> served = new ArrayList<>();
    apps.forEach(app -> served.add(new HashMap<>()));
    List<Window> windows = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    int stale = 0;
    for (int push = 1; push <= PUSHES; push++) {
      int index = (push - 1) % APPS;
      SoakApp app = apps.get(index);
      String text = Sample.STATIC_SITE.change(app.repository(), "push " + push);
      git.ok(app.repository(), "commit", "-q", "-am", "push " + push);
      long start = System.nanoTime();
      String output = git.ok(app.repository(), "push", "-o", "follow", app.remote(), "main");
      millis.add((System.nanoTime() - start) / 1_000_000);
      Matcher live = LIVE_AS.matcher(output);
      assertThat(live.find()).as("push %d: %s", push, output).isTrue();
      served.get(index).put(Integer.parseInt(live.group(1)), text);
      if (!platform.router().get(app.host()).body().contains(text)) {
        stale++;
      }
      if (push % WINDOW == 0 || push == PUSHES) {
        long floor = Floor.run(app.repository(), Sample.STATIC_SITE, work);
        windows.add(measure(push, millis, floor));
        // as it goes: a soak that fails half-way still shows how far it levelled off
        System.out.println("soak window " + windows.getLast().row());
        millis.clear();
      }
    }
    report.add(table(windows, stale));

    int reached = APPS * (RETENTION + 1);
    List<Window> past = windows.stream().filter(w -> w.pushes() >= reached).toList();
    assertThat(past)
        .as("the run is too short: every app must have more than %d revisions", RETENTION)
        .isNotEmpty();
    SoftAssertions soft = new SoftAssertions();
    for (Window window : past) {
      soft.assertThat(window.settled().count())
          .as("images after retention's pass, %d pushes", window.pushes())
          .isLessThanOrEqualTo(APPS * RETENTION);
      soft.assertThat(window.atEnd().count())
          .as("images right after the window's last push, %d pushes", window.pushes())
          .isLessThanOrEqualTo(APPS * (RETENTION + 1));
    }
    soft.assertThat(past.getLast().settled().bytes())
        .as("image bytes of the last window against the first past retention")
        .isLessThanOrEqualTo(past.getFirst().settled().bytes() * 5 / 4);
    soft.assertThat(stale).as("pushes whose page was not served once git said live").isZero();
    for (int a = 0; a < APPS; a++) {
      keptRevisionsRollBack(soft, apps.get(a), served.get(a), a == 0);
    }
    soft.assertAll();
  }

  /**
   * The app's list holds exactly its newest {@code RETENTION} revisions with images, every older
   * one marked removed; the oldest kept one rolls back and serves its page again, and (on {@code
   * refusedToo}) the newest removed one is refused as {@code image-removed}.
   */
  private void keptRevisionsRollBack(
      SoftAssertions soft, SoakApp app, Map<Integer, String> served, boolean refusedToo) {
    Api runtime = runtime();
    JsonNode deployments = runtime.get(APPS_PATH + app.name() + "/deployments").expect(200).json();
    int newest = served.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<Integer> kept = new ArrayList<>();
    List<Integer> removed = new ArrayList<>();
    for (JsonNode revision : deployments.path("revisions")) {
      int number = revision.path("revision").asInt();
      (revision.path("imageRemoved").asBoolean() ? removed : kept).add(number);
    }
    List<Integer> expected = new ArrayList<>();
    for (int number = newest; number > newest - RETENTION && number > 0; number--) {
      expected.add(number);
    }
    soft.assertThat(kept).as("%s: revisions with images", app.name()).isEqualTo(expected);
    soft.assertThat(removed)
        .as("%s: revisions marked imageRemoved", app.name())
        .allMatch(number -> number <= newest - RETENTION);
    int oldestKept = newest - RETENTION + 1;
    if (refusedToo) {
      Api.Response refused =
          runtime.post(APPS_PATH + app.name() + "/rollback", Map.of("revision", oldestKept - 1));
      soft.assertThat(refused.status()).as("rollback to a removed image").isEqualTo(409);
      soft.assertThat(refused.json().path("type").asString()).endsWith("image-removed");
    }
    long start = System.nanoTime();
    JsonNode rolledBack =
        runtime
            .postAwaitingRollout(
                APPS_PATH + app.name() + "/rollback", Map.of("revision", oldestKept))
            .json();
    report.add(
        "%s: revisions with images %s, listed as removed %d (of %d); rollback to %d: %s in %d ms"
            .formatted(
                app.name(),
                kept,
                removed.size(),
                kept.size() + removed.size(),
                oldestKept,
                rolledBack.path("status").asString(),
                (System.nanoTime() - start) / 1_000_000));
    soft.assertThat(rolledBack.path("status").asString())
        .as("%s: rollback to revision %d: %s", app.name(), oldestKept, rolledBack)
        .isEqualTo("live");
    soft.assertThat(platform.router().get(app.host()).body())
        .as("%s: page after the rollback to revision %d", app.name(), oldestKept)
        .contains(served.get(oldestKept));
  }

  /**
   * The footprint at the end of a window, then again once retention's next pass left no more images
   * than the apps may keep (at most three intervals; else what there was).
   */
  private Window measure(int pushes, List<Long> millis, long floor) {
    Footprint.Images atEnd = Footprint.images(platform.imagePrefix());
    int bound = 0;
    for (int a = 0; a < APPS; a++) {
      int revisions = pushes / APPS + (a < pushes % APPS ? 1 : 0);
      bound += Math.min(revisions, RETENTION);
    }
    int most = bound;
    long start = System.nanoTime();
    try {
      await()
          .atMost(RETENTION_INTERVAL.multipliedBy(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Footprint.images(platform.imagePrefix()).count() <= most);
    } catch (ConditionTimeoutException e) {
      // the assertions compare the figures; the table shows them either way
    }
    long settleMillis = (System.nanoTime() - start) / 1_000_000;
    Path repositories = state.resolve("build/repos");
    return new Window(
        pushes,
        Stats.percentile(millis, 50),
        Stats.percentile(millis, 95),
        floor,
        atEnd,
        Footprint.images(platform.imagePrefix()),
        settleMillis,
        bound,
        Footprint.bytesUnder(state),
        Footprint.bytesUnder(repositories, ".sandbox"),
        Footprint.bytesUnder(repositories.resolve(".sandbox")),
        Footprint.bytesUnder(state.resolve("pgdata")));
  }

  private String table(List<Window> windows, int stale) {
    StringBuilder table =
        new StringBuilder(
            "soak: %d pushes to %d static apps, image retention %d, retention every %d s%n"
                .formatted(PUSHES, APPS, RETENTION, RETENTION_INTERVAL.toSeconds()));
    table.append(
        "| pushes | push-to-live p50 ms | p95 ms | floor ms | images at end | images after pass"
            + " (bound) | waited s | image MB | git MB | build stores MB | database MB | state MB |\n");
    table.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    windows.forEach(window -> table.append(window.row()).append('\n'));
    return table
        .append("pushes whose page was not served right after git said live: ")
        .append(stale)
        .toString();
  }

  /** runtime-bridge as alice, with a fresh token (Keycloak's last five minutes). */
  private Api runtime() {
    return new Api(platform.url("SLIPWAY_RUNTIME_PORT"), platform.aliceToken(state));
  }
}
