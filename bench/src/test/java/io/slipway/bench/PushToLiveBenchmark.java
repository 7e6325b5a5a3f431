package io.slipway.bench;

import io.slipway.testing.GitCli;
import io.slipway.testing.TestCaddy;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Push-to-live as a user sees it (from {@code git push} to the first answer with the new content
 * through the router) against the floor measured in the same run: the same commit pushed to a bare
 * repository, built with {@code buildah bud}, run with {@code podman run} and polled until its
 * first 200, by {@code bench/floor}. Prints figures; asserts nothing about time.
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushToLiveBenchmark {

  private static final int RUNS = Integer.getInteger("bench.runs", 10);

  private Path work;
  private TestPlatform platform;
  private String jwt;
  private final List<String> report = new ArrayList<>();

  /** The queue wait of every push measured one at a time (a build slot free each time). */
  private final List<Long> queueWaits = new ArrayList<>();

  @BeforeAll
  void startPlatform() throws Exception {
    work = Files.createTempDirectory("slipway-bench");
    // as ./slipway up leaves it: the stacks in the build sandboxes' platform store
    platform = TestPlatform.start(Deployer.PREFIX, work, true);
    String user = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    jwt = TestKeycloak.userToken(user, TestKeycloak.createUser(user));
  }

  @AfterAll
  void stopPlatform() {
    if (!queueWaits.isEmpty()) {
      report.add(
          "queue wait of %d pushes made one at a time: p50 %d ms, p95 %d ms, max %d ms (target: a"
                  .formatted(
                      queueWaits.size(),
                      Stats.percentile(queueWaits, 50),
                      Stats.percentile(queueWaits, 95),
                      Stats.percentile(queueWaits, 100))
              + " build starts within 250 ms of its push when a slot is free)");
    }
    report.forEach(System.out::println);
    if (platform != null) {
      platform.close();
    }
    TestPlatform.removeEverythingNamed(Deployer.PREFIX);
  }

  @Test
  void staticSiteWarm() throws Exception {
    Deployer deployer = Deployer.newTenant(platform, jwt, new GitCli(work), work);
    Sample sample = Sample.STATIC_SITE;
    Deployer.App app = deployer.createApp("static");
    Path repository = deployer.repositoryOf(sample.directory());
    deployer.pushAndAwaitLive(app, repository); // the first push fills the layer cache
    List<Long> platformMillis = new ArrayList<>();
    List<Long> floorMillis = new ArrayList<>();
    Deployer.Served last = null;
    for (int run = 0; run < RUNS; run++) {
      last = deployer.pushUntilServed(app, repository, sample, "run " + run);
      platformMillis.add(last.millis());
      queueWaits.add(deployer.queueMillisOfLatest(app));
      floorMillis.add(Floor.run(repository, sample, work));
    }
    record("static site, warm, one-file change", platformMillis, floorMillis);
    report.add("  stages of the last push: " + deployer.stagesOfLatest(app, last));
  }

  /**
   * Each sample's first push and a one-file change pushed after it, as a new tenant makes them: the
   * first push of a tenant also brings the stack's images into the tenant's own build store (once
   * per stack version), which the floor never pays. The floor's cold run gets content of its own,
   * or it would reuse the platform's layers.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void firstAndWarmPushOfEachSample(Sample sample) throws Exception {
    int runs = Math.max(1, RUNS / 5);
    List<Long> first = new ArrayList<>();
    List<Long> firstFloor = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    List<Long> warmFloor = new ArrayList<>();
    Deployer.App lastApp = null;
    Deployer lastDeployer = null;
    Deployer.Served last = null;
    for (int run = 0; run < runs; run++) {
      Deployer deployer = Deployer.newTenant(platform, jwt, new GitCli(work), work);
      Deployer.App app = deployer.createApp(sample.name().replace("-app", "") + run);
      Path repository = deployer.repositoryOf(sample.directory());
      String unique = UUID.randomUUID().toString();
      first.add(deployer.pushUntilServed(app, repository, sample, "first " + unique).millis());
      queueWaits.add(deployer.queueMillisOfLatest(app));
      if (sample.hasFloor()) {
        sample.change(repository, "floor " + unique);
        new GitCli(work).ok(repository, "commit", "-q", "-a", "-m", "floor");
        firstFloor.add(Floor.run(repository, sample, work));
      }
      last = deployer.pushUntilServed(app, repository, sample, "warm " + unique);
      warm.add(last.millis());
      queueWaits.add(deployer.queueMillisOfLatest(app));
      if (sample.hasFloor()) {
        warmFloor.add(Floor.run(repository, sample, work));
      }
      lastApp = app;
      lastDeployer = deployer;
    }
    record(sample.name() + ", first push of a new tenant", first, firstFloor);
    record(sample.name() + ", warm (one-file change)", warm, warmFloor);
    report.add("  stages of the last push: " + lastDeployer.stagesOfLatest(lastApp, last));
  }

  static Stream<Sample> samples() {
    return Sample.ALL.stream();
  }

  @Test
  void twentyPushesFromFiveTenantsAtOnce() throws Exception {
    Sample sample = Sample.STATIC_SITE;
    int tenants = 5;
    int appsPerTenant = 4;
    List<Deployer> deployers = new ArrayList<>();
    List<Deployer.App> apps = new ArrayList<>();
    List<Path> repositories = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      Deployer deployer = Deployer.newTenant(platform, jwt, new GitCli(work), work);
      deployers.add(deployer);
      for (int a = 0; a < appsPerTenant; a++) {
        apps.add(deployer.createApp("app" + a));
        repositories.add(deployer.repositoryOf(sample.directory()));
        owners.add(t);
      }
    }
    long start = System.nanoTime();
    long startEpoch = System.currentTimeMillis();
    List<Future<Long>> finishes = new ArrayList<>();
    try (ExecutorService pushers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < apps.size(); i++) {
        Deployer deployer = deployers.get(owners.get(i));
        Deployer.App app = apps.get(i);
        Path repository = repositories.get(i);
        finishes.add(
            pushers.submit(
                () -> {
                  deployer.pushUntilServed(
                      app, repository, sample, "concurrent", Duration.ofMillis(100));
                  return (System.nanoTime() - start) / 1_000_000;
                }));
      }
    }
    long total = (System.nanoTime() - start) / 1_000_000;
    List<long[]> byFinish = new ArrayList<>();
    for (int i = 0; i < apps.size(); i++) {
      byFinish.add(new long[] {finishes.get(i).get(), owners.get(i)});
    }
    byFinish.sort(Comparator.comparingLong(entry -> entry[0]));
    for (int i = 0; i < apps.size(); i++) {
      report.add(
          "  t%d %s:%s; served %d"
              .formatted(
                  owners.get(i),
                  apps.get(i).name(),
                  deployers.get(owners.get(i)).timelineOf(apps.get(i), startEpoch),
                  finishes.get(i).get()));
    }
    StringBuilder order = new StringBuilder();
    for (long[] entry : byFinish) {
      order.append("t").append(entry[1]).append('@').append(entry[0]).append("ms ");
    }
    long floor = Floor.parallel(repositories, sample, work, 2);
    report.add(
        "20 pushes from 5 tenants at once (concurrentBuilds quota 2 each, 2 build workers): all"
            + " live in %d ms; floor (the same 20 with raw tools, 2 at a time) %d ms; ratio %.2f"
                .formatted(total, floor, (double) total / floor));
    report.add("  completion order (tenant@time): " + order.toString().trim());
  }

  private void record(String what, List<Long> platformMillis, List<Long> floorMillis) {
    long p50 = Stats.percentile(platformMillis, 50);
    if (floorMillis.isEmpty()) {
      report.add(
          ("%s, %d runs: push-to-live p50 %d ms, p95 %d ms; no floor (its stack's build has no"
                  + " hand-written raw-tools equivalent here)")
              .formatted(what, platformMillis.size(), p50, Stats.percentile(platformMillis, 95)));
      return;
    }
    long floor50 = Stats.percentile(floorMillis, 50);
    report.add(
        "%s, %d runs: push-to-live p50 %d ms, p95 %d ms; floor p50 %d ms, p95 %d ms; ratio at p50 %.2f"
            .formatted(
                what,
                platformMillis.size(),
                p50,
                Stats.percentile(platformMillis, 95),
                floor50,
                Stats.percentile(floorMillis, 95),
                (double) p50 / floor50));
  }

  /** Runs {@code bench/floor} for a repository's HEAD. */
  static final class Floor {
    static long run(Path repository, Sample sample, Path work) throws IOException {
      String name = newName();
      long millis = run(repository, sample, work, name);
      TestPlatform.removeImage(imageOf(name));
      return millis;
    }

    /** The name of one run's bare repository, container and image. */
    private static String newName() {
      return Deployer.PREFIX + "floor-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The image {@code bench/floor} builds for a run of that name. */
    private static String imageOf(String name) {
      return "localhost/" + name + ":floor";
    }

    /**
     * One floor run behind the router, as an app is served: the milliseconds to the first 200
     * through {@code caddy} and, once the container and its route are removed, to the router's 404.
     */
    static long[] throughRouter(Path repository, Sample sample, Path work, TestCaddy caddy)
        throws IOException {
      String name = newName();
      String[] millis =
          output(
                  repository,
                  sample,
                  work,
                  name,
                  caddy.adminSocket().toString(),
                  // runtime-bridge's server (slipway.runtime.caddy.server)
                  "slipway",
                  String.valueOf(caddy.httpPort()))
              .split(" ");
      TestPlatform.removeImage(imageOf(name));
      return new long[] {Long.parseLong(millis[0]), Long.parseLong(millis[1])};
    }

    /**
     * One floor run, leaving its image (and so the layers it cached) in place: removing it while
     * another run's {@code buildah bud --layers} looks at the cache breaks that run.
     */
    private static long run(Path repository, Sample sample, Path work, String name)
        throws IOException {
      return Long.parseLong(output(repository, sample, work, name));
    }

    /** What {@code bench/floor} printed for one run with these arguments after the first four. */
    private static String output(
        Path repository, Sample sample, Path work, String name, String... router)
        throws IOException {
      Path containerfile = work.resolve("floor-" + sample.name() + ".Containerfile");
      Files.writeString(containerfile, sample.floorContainerfile());
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of("floor").toAbsolutePath().toString(),
                  repository.toString(),
                  containerfile.toString(),
                  String.valueOf(sample.port()),
                  name));
      command.addAll(List.of(router));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes()).trim();
      try {
        if (process.waitFor() != 0) {
          throw new IllegalStateException("bench/floor failed: " + output);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return output;
    }

    /** The wall time of the floor for every repository, {@code parallelism} at a time. */
    static long parallel(List<Path> repositories, Sample sample, Path work, int parallelism)
        throws Exception {
      long start = System.nanoTime();
      List<String> names = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
        List<Future<Long>> runs = new ArrayList<>();
        for (Path repository : repositories) {
          String name = newName();
          names.add(name);
          runs.add(pool.submit(() -> run(repository, sample, work, name)));
        }
        for (Future<Long> run : runs) {
          run.get();
        }
      } finally {
        names.forEach(name -> TestPlatform.removeImage(imageOf(name)));
      }
      return (System.nanoTime() - start) / 1_000_000;
    }
  }

  /** Nearest-rank percentiles. */
  static final class Stats {
    static long percentile(List<Long> values, int percent) {
      List<Long> sorted = values.stream().sorted().toList();
      int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }
  }
}
