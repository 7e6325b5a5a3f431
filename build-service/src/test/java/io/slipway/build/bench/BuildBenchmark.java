package io.slipway.build.bench;

import static org.awaitility.Awaitility.await;

import io.slipway.build.process.CommandRunner;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.sandbox.BuilderBud;
import io.slipway.build.sandbox.PlatformStore;
import io.slipway.build.sandbox.SandboxLease;
import io.slipway.build.sandbox.SandboxRun;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Two measurements, each against a baseline taken in the same run:
 *
 * <ol>
 *   <li>the static-site sample ({@code samples/static-site}, built by the static stack on {@code
 *       localhost/slipway/stacks/static:1}): git push to image (in the sandbox), p50 and p95,
 *       against raw {@code buildah bud} on the host of the same context and generated
 *       Containerfile, cold ({@code --no-cache}) and warm (layer cache, one file changed), and the
 *       same warm rebuild in a sandbox of its own ({@code podman run} of the builder image, the
 *       very command build-service runs), side by side;
 *   <li>the Node sample (its one dependency installed through the egress proxy): a warm rebuild
 *       after a one-file change against a cold build of a new tenant (its first build: a new
 *       builder, the install), both pushed through the platform, with issue 19's 3x target;
 *   <li>issue 16's target ({@link #warmRebuildInTheSandboxAgainstHostBuildah}): a warm rebuild in
 *       the sandbox, build-service's own path with the warm builder and the hand-back, against host
 *       buildah, side by side with the ratio and the 1.2x target, and the previous sandbox path
 *       beside them.
 * </ol>
 *
 * <p>Run with {@code ./slipway bench -pl build-service}. Not a test: it asserts nothing about time.
 */
@Tag("benchmark")
class BuildBenchmark extends BuildServiceTest {

  private static final int SAMPLES = 10;
  private static final int NODE_SAMPLES = 3;
  private static final String STATIC_STACK = "localhost/slipway/stacks/static:1";
  private static final Path SAMPLES_DIR = Path.of("..", "samples").toAbsolutePath().normalize();
  private static final String STATIC_CONTAINERFILE =
      "FROM " + STATIC_STACK + "\nUSER 65534\nEXPOSE 8080\nCOPY . /www\n";

  /** Issue 16: a warm rebuild in the sandbox within this many times host buildah's. */
  private static final double TARGET = 1.2;

  @Autowired BuildSandbox sandbox;

  @TempDir Path work;
  private final List<String> images = new ArrayList<>();

  @AfterEach
  void removeImages() throws Exception {
    for (String image : images) {
      new ProcessBuilder("buildah", "rmi", "-f", image).redirectErrorStream(true).start().waitFor();
    }
  }

  @Test
  void staticSiteAgainstRawBuildah() throws Exception {
    // the tests' configuration names STATIC_BASE_IMAGE: make it the real static stack image
    time(List.of("buildah", "tag", STATIC_STACK, STATIC_BASE_IMAGE));
    images.add(STATIC_BASE_IMAGE);
    // the hand-made sandbox mounts this directory as its workspace: its root may enter it, as
    // build-service's tenant workspaces let it
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    GitCli git = new GitCli(work);
    Path repo = work.resolve("site");
    FileSystemUtils.copyRecursively(SAMPLES_DIR.resolve("static-site"), repo);
    git.newRepository(repo, Map.of());
    Path containerfile = work.resolve("Containerfile.static");
    Files.writeString(
        containerfile, "FROM " + STATIC_STACK + "\nUSER 65534\nEXPOSE 8080\nCOPY . /www\n");
    String rawImage = IMAGE_PREFIX + "/bench-raw:latest";
    images.add(rawImage);
    double[] rawCold = new double[SAMPLES];
    double[] rawWarm = new double[SAMPLES];
    double[] sandboxWarm = new double[SAMPLES];
    double sandboxFirst;
    try (Sandbox sandbox = new Sandbox(work.resolve("sandbox"))) {
      Files.writeString(repo.resolve("about.html"), "<p>sandbox first</p>");
      sandboxFirst = sandbox.bud(containerfile, repo, rawImage);
      for (int i = 0; i < SAMPLES; i++) {
        Files.writeString(repo.resolve("about.html"), "<p>raw " + i + "</p>");
        rawCold[i] = bud(containerfile, repo, rawImage, "--no-cache");
        Files.writeString(repo.resolve("about.html"), "<p>raw warm " + i + "</p>");
        rawWarm[i] = bud(containerfile, repo, rawImage);
        Files.writeString(repo.resolve("about.html"), "<p>sandbox warm " + i + "</p>");
        sandboxWarm[i] = sandbox.bud(containerfile, repo, rawImage);
      }
    }
    Files.delete(repo.resolve("about.html"));

    Pusher pusher = new Pusher(git, repo);
    double first = pusher.push("about.html", "<p>push 0</p>");
    double[] warm = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      warm[i] = pusher.push("about.html", "<p>push " + (i + 1) + "</p>");
    }

    System.out.println();
    System.out.println("static-site sample (static stack), ms          p50      p95");
    row("raw buildah bud, cold (--no-cache)", rawCold);
    row("raw buildah bud, warm (one file changed)", rawWarm);
    row("sandboxed buildah bud, warm (same change)", sandboxWarm);
    System.out.printf("%-46s %8.0f%n", "sandboxed, first build of a tenant", sandboxFirst);
    System.out.printf(
        "sandbox / host, warm p50: %.2fx%n", percentile(sandboxWarm, 50) / percentile(rawWarm, 50));
    row("git push to image, warm (one file changed)", warm);
    System.out.printf("%-46s %8.0f%n", "git push to image, first push of the app", first);
    System.out.printf(
        "platform overhead at p50 (warm push - warm raw): %.0f ms%n",
        percentile(warm, 50) - percentile(rawWarm, 50));
  }

  /**
   * Issue 16's target, side by side in one run: a warm rebuild in the sandbox within 1.2 times the
   * same rebuild with host buildah. The sandbox's figure is build-service's own path (the tenant's
   * build directory, {@link BuildSandbox#prepare}, the warm builder's lease, {@code podman exec},
   * and the hand-back into the host's store); the previous path ({@code podman run --rm} of the
   * builder per build, the platform image checked each time, the image always copied) is measured
   * beside it. Interleaved, so the machine's load falls on all alike.
   */
  @Test
  void warmRebuildInTheSandboxAgainstHostBuildah() throws Exception {
    Path context = Files.createDirectories(work.resolve("site"));
    FileSystemUtils.copyRecursively(SAMPLES_DIR.resolve("static-site"), context);
    Path containerfile = work.resolve("Containerfile.static");
    Files.writeString(containerfile, STATIC_CONTAINERFILE);
    String hostImage = IMAGE_PREFIX + "/bench-host:latest";
    images.add(hostImage);
    String tenant = "bench-" + UUID.randomUUID();
    try {
      Files.writeString(context.resolve("about.html"), "<p>first</p>");
      double first = sandboxBuild(tenant, context, 0, Way.SOCKET).total();
      bud(containerfile, context, hostImage);
      int samples = SAMPLES;
      double[] hostSame = new double[samples];
      double[] hostChanged = new double[samples];
      Phases[] same = new Phases[samples];
      Phases[] changed = new Phases[samples];
      Phases[] exec = new Phases[samples];
      Phases[] before = new Phases[samples];
      for (int i = 0; i < samples; i++) {
        // one file changed: the last layer is built again, by each in turn
        Files.writeString(context.resolve("about.html"), "<p>change " + i + "</p>");
        hostChanged[i] = bud(containerfile, context, hostImage);
        changed[i] = sandboxBuild(tenant, context, 4 * i + 1, Way.SOCKET);
        // everything cached: the same context again
        hostSame[i] = bud(containerfile, context, hostImage);
        same[i] = sandboxBuild(tenant, context, 4 * i + 2, Way.SOCKET);
        exec[i] = sandboxBuild(tenant, context, 4 * i + 3, Way.EXEC);
        before[i] = sandboxBuild(tenant, context, 4 * i + 4, Way.RUN);
      }
      System.out.println();
      System.out.printf(
          "warm rebuild of the static-site sample, %d runs each, ms   p50      p95%n", samples);
      row("host buildah bud, same context (all cached)", hostSame);
      row("sandbox, same context: all", Phases.totals(same));
      row("  prepare and lease the warm builder", Phases.of(same, Phases::lease));
      row("  builder's socket: slipway-build, buildah bud", Phases.of(same, Phases::build));
      row("  hand-back to the host's store", Phases.of(same, Phases::handBack));
      row("sandbox with podman exec, same context: all", Phases.totals(exec));
      row("  podman exec: slipway-build, buildah bud", Phases.of(exec, Phases::build));
      row("first sandbox (run --rm, check, copy): all", Phases.totals(before));
      row("  podman run --rm: slipway-build, buildah bud", Phases.of(before, Phases::build));
      row("  hand-back (skopeo copy)", Phases.of(before, Phases::handBack));
      row("host buildah bud, one file changed", hostChanged);
      row("sandbox, one file changed: all", Phases.totals(changed));
      row("  builder's socket: slipway-build, buildah bud", Phases.of(changed, Phases::build));
      row("  hand-back to the host's store", Phases.of(changed, Phases::handBack));
      System.out.printf("%-46s %8.0f%n", "sandbox, first build of the tenant", first);
      ratio("same context", Phases.totals(same), hostSame);
      ratio("one file changed", Phases.totals(changed), hostChanged);
      ratio("podman exec, same context", Phases.totals(exec), hostSame);
      ratio("first sandbox, same context", Phases.totals(before), hostSame);
    } finally {
      sandbox.removeTenant(tenant);
    }
  }

  /** The time of each part of one sandboxed build, ms. */
  private record Phases(double lease, double build, double handBack) {
    double total() {
      return lease + build + handBack;
    }

    static double[] totals(Phases[] phases) {
      return of(phases, Phases::total);
    }

    static double[] of(Phases[] phases, java.util.function.ToDoubleFunction<Phases> part) {
      return Arrays.stream(phases).mapToDouble(part).toArray();
    }
  }

  /** How a benchmarked build reaches its sandbox. */
  private enum Way {
    /** As build-service does: the tenant's warm builder, over its control socket. */
    SOCKET,
    /** The tenant's warm builder, with {@code podman exec} (the fallback, and the previous way). */
    EXEC,
    /**
     * As before warm builders: a container of its own per build, the platform image checked each
     * time, the image always copied back.
     */
    RUN
  }

  /** One build of {@code context} in the tenant's sandbox, the {@code way} given. */
  private Phases sandboxBuild(String tenant, Path context, int number, Way way) throws Exception {
    long start = System.nanoTime();
    Path dir = sandbox.buildDirectory(tenant, "slipway-build-bench-");
    try {
      Path source = dir.resolve("src");
      FileSystemUtils.copyRecursively(context, source);
      Path containerfile = Files.writeString(dir.resolve("Containerfile"), STATIC_CONTAINERFILE);
      String image = IMAGE_PREFIX + "/bench-sandbox:" + number;
      images.add(image);
      SandboxRun run =
          sandbox.prepare(
              UUID.randomUUID(),
              tenant,
              source,
              STATIC_CONTAINERFILE,
              containerfile,
              image,
              2048,
              0,
              List.of(STATIC_STACK));
      SandboxLease lease = way == Way.RUN ? null : sandbox.start(run, tenant);
      long built = System.nanoTime();
      List<String> output =
          switch (way) {
            case SOCKET -> viaSocket(lease, dir);
            case EXEC -> output(lease.run().execArguments());
            case RUN -> output(run.arguments());
          };
      long handBack = System.nanoTime();
      if (lease != null) {
        sandbox.finish(lease, true);
      }
      sandbox.handOver(
          run,
          tenant,
          image,
          way == Way.RUN ? java.util.Optional.empty() : BuildSandbox.builtImageId(output));
      long end = System.nanoTime();
      return new Phases((built - start) / 1e6, (handBack - built) / 1e6, (end - handBack) / 1e6);
    } finally {
      FileSystemUtils.deleteRecursively(dir);
    }
  }

  private static List<String> viaSocket(SandboxLease lease, Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    CommandRunner.Outcome outcome =
        lease.run(
            new CommandRunner(),
            Duration.ofMinutes(10),
            lines::add,
            () -> false,
            dir.resolve("buildah.log"));
    if (!outcome.succeeded()) {
      throw new IllegalStateException("the build in the warm builder failed: " + lines);
    }
    return lines;
  }

  private static void ratio(String what, double[] sandboxed, double[] host) {
    double ratio = percentile(sandboxed, 50) / percentile(host, 50);
    System.out.printf(
        "sandbox / host buildah, warm rebuild, %s, p50: %.2fx (target %.1fx: %s)%n",
        what, ratio, TARGET, ratio <= TARGET ? "met" : "MISSED");
  }

  private static List<String> output(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + lines);
    }
    return lines;
  }

  @Test
  void nodeWarmRebuildAgainstColdBuild() throws Exception {
    GitCli git = new GitCli(work);
    double[] cold = new double[NODE_SAMPLES];
    double[] warm = new double[NODE_SAMPLES];
    for (int i = 0; i < NODE_SAMPLES; i++) {
      Path repo = work.resolve("node-" + i);
      FileSystemUtils.copyRecursively(SAMPLES_DIR.resolve("node-app"), repo);
      Files.delete(repo.resolve("package-lock.json"));
      // a package.json no build has seen (with the sample's dependency): npm install runs,
      // nothing is cached
      Files.writeString(
          repo.resolve("package.json"),
          """
          {"name": "bench-%s", "version": "1.0.0", "main": "server.js",
           "dependencies": {"ms": "2.1.3"}}
          """
              .formatted(UUID.randomUUID()));
      git.newRepository(repo, Map.of());
      Pusher pusher = new Pusher(git, repo);
      cold[i] = pusher.push("README.md", "cold\n");
      warm[i] = pusher.push("server.js", Files.readString(repo.resolve("server.js")) + "\n// " + i);
    }
    System.out.println();
    System.out.println("node sample, pushed (ms)                       p50      max");
    System.out.printf(
        "%-46s %8.0f %8.0f%n",
        "cold build of a new tenant", percentile(cold, 50), percentile(cold, 100));
    System.out.printf(
        "%-46s %8.0f %8.0f%n",
        "warm rebuild (server.js changed: layer cached)",
        percentile(warm, 50),
        percentile(warm, 100));
    double ratio = percentile(cold, 50) / percentile(warm, 50);
    System.out.printf(
        "node: cold / warm at p50: %.2fx (issue 19's target 3x: %s)%n",
        ratio, ratio >= 3 ? "met" : "MISSED");
  }

  /** Pushes commits of one repository to a fresh app and times each from push to image. */
  private final class Pusher {
    private final GitCli git;
    private final Path repo;
    private final Tenancy tenancy = new Tenancy(TestTenantService.url());
    private int builds;

    Pusher(GitCli git, Path repo) {
      this.git = git;
      this.repo = repo;
    }

    double push(String file, String content) throws Exception {
      Files.writeString(repo.resolve(file), content);
      git.ok(repo, "add", "-A");
      git.ok(repo, "commit", "-q", "--allow-empty", "-m", "change " + builds);
      images.add(tenancy.image(IMAGE_PREFIX, "site") + ":" + git.ok(repo, "rev-parse", "HEAD"));
      String url =
          "http://git:"
              + tenancy.owner.gitToken()
              + "@127.0.0.1:"
              + port
              + tenancy.repositoryPath();
      long start = System.nanoTime();
      git.ok(repo, "push", "-q", url, "main");
      builds++;
      String build =
          baseUrl()
              + "/api/v1/tenants/"
              + tenancy.tenant
              + "/projects/web/apps/site/builds/"
              + builds;
      JsonNode[] status = new JsonNode[1];
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                status[0] = Json.get(tenancy.owner.jwt(), build).json();
                return !"queued running".contains(status[0].path("status").asString());
              });
      if (!status[0].path("status").asString().equals("succeeded")) {
        throw new IllegalStateException("build " + build + ": " + status[0]);
      }
      return (System.nanoTime() - start) / 1e6;
    }
  }

  private static double bud(Path containerfile, Path context, String image, String... extra)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("buildah", "bud", "-q", "--layers", "--pull=never", "--network=none"));
    command.addAll(Arrays.asList(extra));
    command.addAll(List.of("-f", containerfile.toString(), "-t", image, context.toString()));
    return time(command);
  }

  /**
   * One tenant's sandbox made by hand, as build-service makes it: a uid range no test tenant gets,
   * its own store and cache, and its view of a platform images' store holding the static stack.
   */
  private static final class Sandbox implements AutoCloseable {
    private static final long UID_BASE = 4_200_000_000L;
    private final Path home;
    private final Path storage;
    private final Path cache;
    private final Path platform;
    private final Path storageConf;

    Sandbox(Path dir) throws Exception {
      home = Files.createDirectories(dir.resolve("tenant"));
      storage = Files.createDirectories(home.resolve("storage"));
      cache = Files.createDirectories(home.resolve("cache"));
      for (Path owned : List.of(storage, cache)) {
        Files.setAttribute(owned, "unix:uid", (int) UID_BASE);
        Files.setAttribute(owned, "unix:gid", (int) UID_BASE);
      }
      PlatformStore store = new PlatformStore(dir.resolve("platform"));
      store.prepare("FROM " + STATIC_STACK, List.of(STATIC_STACK));
      platform = store.viewFor(home, UID_BASE);
      storageConf = store.builderStorageConf();
    }

    @Override
    public void close() throws Exception {
      PlatformStore.closeView(home);
    }

    double bud(Path containerfile, Path context, String image) throws Exception {
      SandboxRun run =
          new SandboxRun(
              "slipway-bench-" + UUID.randomUUID(),
              "localhost/slipway/builder:1",
              UID_BASE,
              storage,
              cache,
              platform,
              storageConf,
              context.getParent(),
              2048,
              0,
              4096,
              4096,
              BuilderBud.inTenantStore(
                  SandboxRun.inside(context.getParent(), containerfile),
                  image,
                  SandboxRun.inside(context.getParent(), context)),
              null,
              null);
      return time(run.arguments());
    }
  }

  private static void row(String name, double[] samples) {
    System.out.printf(
        "%-46s %8.0f %8.0f%n", name, percentile(samples, 50), percentile(samples, 95));
  }

  private static double percentile(double[] samples, int p) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double time(List<String> command) throws Exception {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return (System.nanoTime() - start) / 1e6;
  }
}
