package io.slipway.bench;

import static org.awaitility.Awaitility.await;

import io.slipway.bench.PushToLiveBenchmark.Floor;
import io.slipway.bench.PushToLiveBenchmark.Stats;
import io.slipway.testing.Router;
import io.slipway.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 25's targets for the static sample: a pull request opened until its preview serves the pull
 * request's content through the router (p95 target 4 s), and closed until its host answers 404 with
 * no container or route left (p95 target 30 s), beside the floor measured in the same run ({@code
 * bench/floor} with a Caddy route: the same commit built with {@code buildah bud}, run with {@code
 * podman run} and routed by the admin API, then removed); then open/close cycles, after which the
 * containers, routes, images and reservations of every preview are counted. Prints figures; asserts
 * nothing about time.
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreviewBenchmark {

  private static final int RUNS = Integer.getInteger("bench.runs", 10);
  private static final int CYCLES = Integer.getInteger("bench.preview-cycles", 50);
  private static final Sample SAMPLE = Sample.STATIC_SITE;

  /** A prefix of its own: removing what it made never touches another platform's objects. */
  private static final String PREFIX = "slwpvb-";

  private Path work;
  private TestPlatform platform;
  private Router router;
  private Leftovers leftovers;
  private Previews previews;
  private Forge forge;
  private Deployer.App app;
  private int nextPullRequest = 1;
  private final List<String> report = new ArrayList<>();

  @BeforeAll
  void startPlatform() throws Exception {
    work = Files.createTempDirectory("slipway-bench-previews");
    // as ./slipway up leaves it: the stacks in the build sandboxes' platform store
    platform = TestPlatform.start(PREFIX, work, true);
    router = new Router(platform.caddy().httpPort());
    leftovers = new Leftovers(platform);
    ExternalGitApp shop = ExternalGitApp.create(platform, work, SAMPLE);
    previews = shop.previews();
    forge = shop.forge();
    app = shop.app();
    await().atMost(Duration.ofMinutes(2)).until(() -> router.get(app.host()).status() == 200);
  }

  @AfterAll
  void stopPlatform() {
    report.forEach(System.out::println);
    if (platform != null) {
      platform.close();
    }
    TestPlatform.removeEverythingNamed(PREFIX);
    TestPlatform.deleteWork(work);
  }

  @Test
  void openedToServingAndClosedToGoneAgainstTheFloor() throws Exception {
    // the first preview fills the layer cache, as the first push of an app does
    close(open("warm-up"));
    List<Long> served = new ArrayList<>();
    List<Long> routeGone = new ArrayList<>();
    List<Long> allGone = new ArrayList<>();
    List<Long> floorServed = new ArrayList<>();
    List<Long> floorGone = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      Opened opened = open("run " + run);
      served.add(opened.millis());
      long[] gone = close(opened);
      routeGone.add(gone[0]);
      allGone.add(gone[1]);
      long[] floor = Floor.throughRouter(forge.checkout(), SAMPLE, work, platform.caddy());
      floorServed.add(floor[0]);
      floorGone.add(floor[1]);
    }
    report.add(
        "static site preview, %d pull requests: opened -> serving p50 %d ms, p95 %d ms (target p95 4,000); floor p50 %d ms, p95 %d ms; ratio at p50 %.2f"
            .formatted(
                RUNS,
                Stats.percentile(served, 50),
                Stats.percentile(served, 95),
                Stats.percentile(floorServed, 50),
                Stats.percentile(floorServed, 95),
                (double) Stats.percentile(served, 50) / Stats.percentile(floorServed, 50)));
    report.add(
        "  closed -> host 404 p50 %d ms, p95 %d ms; -> no container, route or image p50 %d ms, p95 %d ms (target p95 30,000); floor (podman rm + route DELETE -> 404) p50 %d ms, p95 %d ms"
            .formatted(
                Stats.percentile(routeGone, 50),
                Stats.percentile(routeGone, 95),
                Stats.percentile(allGone, 50),
                Stats.percentile(allGone, 95),
                Stats.percentile(floorGone, 50),
                Stats.percentile(floorGone, 95)));
  }

  @Test
  void openAndCloseCyclesLeaveNothingBehind() {
    Map<String, Long> before = previews.held();
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Opened opened = open("cycle " + cycle);
      ids.add(opened.appId());
      forge.githubPullRequest("closed", opened.number(), opened.head()).expect(202);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> router.get(opened.host()).status() == 404);
    }
    long cyclesMillis = (System.nanoTime() - start) / 1_000_000;
    // what the last closes left is given the 30 s issue 25 allows before it is counted
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptionsInstanceOf(IllegalStateException.class)
          .until(
              () ->
                  left(ids).values().stream().allMatch(count -> count == 0)
                      && previews.held().equals(before));
    } catch (ConditionTimeoutException e) {
      // counted and printed below, then failed
    }
    Map<String, Long> left = left(ids);
    Map<String, Long> after = previews.held();
    report.add(
        ("%d pull requests opened, served and closed in %d ms; left of their previews: %d"
                + " containers, %d routes, %d images; project quota held before %s, after %s")
            .formatted(
                CYCLES,
                cyclesMillis,
                left.get("containers"),
                left.get("routes"),
                left.get("images"),
                before,
                after));
    if (!before.equals(after) || left.values().stream().anyMatch(count -> count != 0)) {
      throw new AssertionError(
          "the previews left " + left + "; held before " + before + ", after " + after);
    }
  }

  /** A pull request opened, as the benchmark saw it: served after {@code millis}. */
  private record Opened(int number, String head, String host, String appId, long millis) {}

  /** Opens a new pull request showing {@code text} and waits until its preview serves it. */
  private Opened open(String text) {
    int number = nextPullRequest++;
    String head = forge.pullRequestHead(number, "refs/pull/" + number + "/head", text);
    long start = System.nanoTime();
    forge.githubPullRequest("opened", number, head).expect(202);
    String host = previews.host(app, "pr-" + number);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              Router.Answer answer = router.get(host);
              return answer.status() == 200 && answer.body().contains("(" + text + ")");
            });
    long millis = (System.nanoTime() - start) / 1_000_000;
    String appId = previews.preview(app, "pr-" + number).json().path("appId").asString();
    return new Opened(number, head, host, appId, millis);
  }

  /**
   * Closes the pull request; answers the milliseconds until its host answered 404 and until no
   * container, route or image of its preview was left.
   */
  private long[] close(Opened opened) {
    long start = System.nanoTime();
    forge.githubPullRequest("closed", opened.number(), opened.head()).expect(202);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> router.get(opened.host()).status() == 404);
    long routeGone = (System.nanoTime() - start) / 1_000_000;
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        // podman may fail a listing that races an image being removed: asked again on the next poll
        .ignoreExceptionsInstanceOf(IllegalStateException.class)
        .until(
            () ->
                leftovers.containers(opened.appId()) == 0
                    && leftovers.routes(opened.appId()) == 0
                    && leftovers.images(opened.appId()) == 0);
    return new long[] {routeGone, (System.nanoTime() - start) / 1_000_000};
  }

  /** The containers, routes and images left of these previews, together. */
  private Map<String, Long> left(List<String> ids) {
    long containers = 0;
    long routes = 0;
    long images = 0;
    for (String id : ids) {
      containers += leftovers.containers(id);
      routes += leftovers.routes(id);
      images += leftovers.images(id);
    }
    return Map.of("containers", containers, "routes", routes, "images", images);
  }
}
