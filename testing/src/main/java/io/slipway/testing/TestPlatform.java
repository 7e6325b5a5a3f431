package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole platform as {@code ./slipway up} runs it, minus the portal: tenant-service,
 * build-service and runtime-bridge from their executable jars, each on its own PostgreSQL database,
 * trusting the test run's Keycloak, with a real Caddy as the apps' router. Containers, networks and
 * images it makes are named with the caller's prefix so that they never meet a developer's running
 * platform nor another test's: {@link #removeEverythingNamed(String)} removes them afterwards.
 */
public final class TestPlatform implements AutoCloseable {

  /** The static-site stack image that {@code ./slipway test} builds before Maven runs. */
  public static final String STATIC_STACK = PlatformWiring.platform().stackImage("static");

  /** This JVM's platform images' store, made by the first platform that needs it. */
  private static Path platformStore;

  private final String namePrefix;
  private final TestCaddy caddy;
  private final ServiceProcess tenant;
  private final ServiceProcess build;
  private final List<ServiceProcess> runtimes;
  private final Map<String, String> databases;
  private final Path buildData;
  private final TestPythonIndex pythonIndex;

  private TestPlatform(
      TestPythonIndex pythonIndex,
      Path buildData,
      String namePrefix,
      TestCaddy caddy,
      ServiceProcess tenant,
      ServiceProcess build,
      List<ServiceProcess> runtimes,
      Map<String, String> databases) {
    this.pythonIndex = pythonIndex;
    this.buildData = buildData;
    this.namePrefix = namePrefix;
    this.databases = Map.copyOf(databases);
    this.caddy = caddy;
    this.tenant = tenant;
    this.build = build;
    this.runtimes = List.copyOf(runtimes);
  }

  /**
   * Starts Caddy and the three services and waits until each is healthy. Python builds install from
   * a {@link TestPythonIndex} (the public index is not reachable here).
   *
   * @param namePrefix what every container, network and image the platform makes is named with,
   *     such as {@code slwe2e-}
   * @param work a directory of the caller's for hosted repositories, signing keys and advisories
   */
  public static TestPlatform start(String namePrefix, Path work) throws Exception {
    return start(namePrefix, work, false);
  }

  /**
   * Starts the platform as {@link #start(String, Path)} does; with {@code preparedStacks}, as
   * {@code ./slipway up} does: build-service copies every stack image into its sandboxes' platform
   * store before it says it is healthy, so no first push waits for it (a benchmark measures that);
   * without, the first build that names a stack copies it (tests, which use few stacks).
   */
  public static TestPlatform start(String namePrefix, Path work, boolean preparedStacks)
      throws Exception {
    return start(namePrefix, work, preparedStacks, 1);
  }

  /**
   * Starts the platform as {@link #start(String, Path, boolean)} does, with {@code runtimeReplicas}
   * runtime-bridge replicas on one database, podman and Caddy, as a chart with several replicas
   * runs them: build-service deploys through the first ({@link #runtime()}), the others answer
   * whoever asks them ({@link #runtimes()}), and every replica's reconciler works.
   */
  public static TestPlatform start(
      String namePrefix, Path work, boolean preparedStacks, int runtimeReplicas) throws Exception {
    TestCaddy caddy = TestCaddy.start();
    TestPythonIndex pythonIndex =
        new TestPythonIndex().open(Files.createDirectories(work.resolve("python-index")));
    Map<String, String> databases =
        Map.of(
            "tenant-service", TestPostgres.newDatabase(),
            "runtime-bridge", TestPostgres.newDatabase(),
            "build-service", TestPostgres.newDatabase());
    ServiceProcess tenant =
        ServiceProcess.start(
            "tenant-service", common(wiring("tenant-service", databases, Map.of())), List.of());
    // runtime-bridge first: build-service deploys to it once a build succeeds; runtime-bridge
    // asks build-service for its trusted keys, advisories and images' attestations when it admits
    // an image (never at start).
    int[] ports = ServiceProcess.freePorts(1 + runtimeReplicas);
    int buildPort = ports[0];
    int runtimePort = ports[1];
    // the services this platform runs, by the base URL the others are given (no portal: the
    // variables that point at it keep their defaults)
    Map<String, String> running =
        Map.of(
            "tenant-service", tenant.url(),
            "runtime-bridge", "http://127.0.0.1:" + runtimePort,
            "build-service", "http://127.0.0.1:" + buildPort);
    // one environment for every replica: the same database, router, firewall table and secret key
    Map<String, String> runtimeEnvironment =
        common(
            wiring(
                "runtime-bridge",
                databases,
                running,
                Map.entry("SLIPWAY_CADDY_ADMIN_SOCKET", caddy.adminSocket().toString()),
                Map.entry("SLIPWAY_CADDY_LISTEN", caddy.listen()),
                Map.entry("SLIPWAY_RUNTIME_PODMAN_NAME_PREFIX", namePrefix),
                // a firewall table of this platform's own, removed by close()
                Map.entry("SLIPWAY_RUNTIME_PODMAN_FIREWALL_TABLE", firewallTable(namePrefix)),
                // build-service's SLIPWAY_BUILD_IMAGE_PREFIX: its images deploy only for their
                // own tenant
                Map.entry(
                    "SLIPWAY_RUNTIME_ADMISSION_BUILD_IMAGE_PREFIX",
                    "localhost/" + namePrefix + "images")));
    List<ServiceProcess> runtimes = new ArrayList<>();
    for (int replica = 0; replica < runtimeReplicas; replica++) {
      runtimes.add(
          ServiceProcess.start(
              "runtime-bridge", ports[1 + replica], runtimeEnvironment, List.of()));
    }
    Map<String, String> buildEnvironment =
        wiring(
            "build-service",
            databases,
            running,
            Map.entry(
                "SLIPWAY_BUILD_DATA_DIR",
                Files.createDirectories(work.resolve("repos")).toString()),
            Map.entry("SLIPWAY_BUILD_IMAGE_PREFIX", "localhost/" + namePrefix + "images"),
            Map.entry("SLIPWAY_BUILD_STACKS_STATIC_BASE_IMAGE", STATIC_STACK),
            Map.entry("SLIPWAY_BUILD_STACKS_PYTHON_INDEX_URL", pythonIndex.url()),
            Map.entry("SLIPWAY_BUILD_EGRESS_ALLOWED_CIDRS", pythonIndex.cidr()),
            // a push returns once its build is queued, as the tests expect to watch it run; a
            // test that wants the platform's default pushes with -o follow
            Map.entry("SLIPWAY_BUILD_FOLLOW_PUSHES", "false"),
            // external-git apps of the tests take their code from local bare repositories
            Map.entry("SLIPWAY_BUILD_EXTERNAL_GIT_SCHEMES", "https,file"),
            Map.entry(
                "SLIPWAY_BUILD_SANDBOX_PREPARE_PLATFORM_IMAGES", Boolean.toString(preparedStacks)),
            Map.entry("SLIPWAY_BUILD_SANDBOX_PLATFORM_DIR", platformStore().toString()),
            Map.entry("SLIPWAY_BUILD_GOVERNANCE_KEYS_DIR", work.resolve("keys").toString()),
            Map.entry(
                "SLIPWAY_BUILD_GOVERNANCE_ADVISORIES_DIR", work.resolve("advisories").toString()));
    ServiceProcess build =
        ServiceProcess.start("build-service", buildPort, common(buildEnvironment), List.of());
    return new TestPlatform(
        pythonIndex, work.resolve("repos"), namePrefix, caddy, tenant, build, runtimes, databases);
  }

  /**
   * The platform images' store every platform of this JVM gives its build-service ({@code
   * slipway.build.sandbox.platform-dir}): each stack a test's builds use is copied into it once per
   * JVM rather than once per platform, and deleted once, when the JVM exits. The platforms of one
   * JVM run one after another, so no two build-services copy into it at once; another JVM has a
   * store of its own.
   */
  public static synchronized Path platformStore() throws IOException {
    if (platformStore == null) {
      platformStore = ownedWork("slipway-platform-store-", TestPlatform::deleteWork);
    }
    return platformStore;
  }

  /**
   * A new temporary directory named {@code <prefix><pid>-...} that {@code cleanup} removes when
   * this JVM exits; first runs {@code cleanup} on the directories of this prefix whose JVM no
   * longer runs. A fork that Failsafe halts, or one killed, leaves its directories (stores mounted,
   * copies of stack images, warm builders labelled with them) behind unless its shutdown hook
   * finished; the next JVM that makes one of the same kind removes them.
   */
  public static Path ownedWork(String prefix, Consumer<Path> cleanup) throws IOException {
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> candidates = Files.list(temporary)) {
      for (Path stale : candidates.toList()) {
        String name = stale.getFileName().toString();
        if (name.startsWith(prefix)) {
          String owner = name.substring(prefix.length()).split("-")[0];
          if (owner.matches("[0-9]{1,10}") && ProcessHandle.of(Long.parseLong(owner)).isEmpty()) {
            cleanup.accept(stale);
          }
        }
      }
    }
    Path work = Files.createTempDirectory(prefix + ProcessHandle.current().pid() + "-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanup.accept(work)));
    return work;
  }

  /**
   * A service's environment as config/platform.env wires it: its database (user and password {@code
   * postgres}), its client secret of the test run's Keycloak, a fresh secret key, the base URLs of
   * the services it calls or shows that run here, then {@code own}.
   */
  @SafeVarargs
  static Map<String, String> wiring(
      String service,
      Map<String, String> databases,
      Map<String, String> running,
      Map.Entry<String, String>... own) {
    PlatformWiring platform = PlatformWiring.platform();
    Map<String, String> environment = new HashMap<>();
    platform
        .databaseEnv(service)
        .ifPresent(
            prefix -> {
              environment.put(prefix + "_URL", databases.get(service));
              environment.put(prefix + "_USER", "postgres");
              environment.put(prefix + "_PASSWORD", "postgres");
            });
    platform
        .clientSecret(service)
        .ifPresent(
            secret ->
                environment.put(secret.variable(), TestKeycloak.serviceClientSecret(service)));
    // an AES-256 key of this platform's own
    platform.secretKey(service).ifPresent(key -> environment.put(key.variable(), randomKey()));
    List<PlatformWiring.Entry> urls = new ArrayList<>(platform.urls(service));
    urls.addAll(platform.publicUrls(service));
    for (PlatformWiring.Entry url : urls) {
      String target = url.target();
      String path = target.contains("/") ? target.substring(target.indexOf('/')) : "";
      String base = running.get(path.isEmpty() ? target : target.substring(0, target.indexOf('/')));
      if (base != null) {
        environment.put(url.variable(), base + path);
      }
    }
    for (Map.Entry<String, String> entry : own) {
      environment.put(entry.getKey(), entry.getValue());
    }
    return environment;
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** {@code own} and what every service is given: the test run's Keycloak and its issuer. */
  static Map<String, String> common(Map<String, String> own) {
    Map<String, String> environment = new HashMap<>(own);
    environment.put("SLIPWAY_KEYCLOAK_URL", TestKeycloak.url());
    environment.put("SLIPWAY_OIDC_ISSUER", TestKeycloak.issuer());
    return environment;
  }

  /** What every container, network and image of this platform is named with. */
  public String namePrefix() {
    return namePrefix;
  }

  public TestCaddy caddy() {
    return caddy;
  }

  public ServiceProcess tenant() {
    return tenant;
  }

  public ServiceProcess build() {
    return build;
  }

  /** The runtime-bridge build-service deploys through: the first replica. */
  public ServiceProcess runtime() {
    return runtimes.getFirst();
  }

  /** Every runtime-bridge replica, the first being {@link #runtime()}. */
  public List<ServiceProcess> runtimes() {
    return runtimes;
  }

  /**
   * The JDBC URL of a service's database ({@code tenant-service}, {@code build-service} or {@code
   * runtime-bridge}; user and password {@code postgres}), for tests that check what it holds.
   */
  public String database(String service) {
    return databases.get(service);
  }

  /** Git's base URL, as build-service serves it: {@code <build>/git}. */
  public String gitUrl() {
    return build.url() + "/git";
  }

  /** Stops the services and Caddy; what they made in podman stays (see below). */
  @Override
  public void close() {
    build.close();
    removeWarmBuilders(buildData);
    runtimes.forEach(ServiceProcess::close);
    tenant.close();
    caddy.close();
    pythonIndex.close();
  }

  /**
   * Removes the warm builders a build-service kept for the sandbox under {@code dataDir} (its
   * default {@code <data-dir>/.sandbox}, their label): a test's build-service is never started
   * again on its data, so nothing else would.
   */
  public static void removeWarmBuilders(Path dataDir) {
    String builders =
        podman("ps", "-aq", "--filter", "label=io.slipway.sandbox=" + dataDir.resolve(".sandbox"));
    if (!builders.isBlank()) {
      podman(concat(List.of("rm", "-f", "-t", "0"), builders.split("\\s+")));
    }
  }

  /**
   * Deletes a test's work directory once what ran on it has stopped: first unmounts whatever is
   * still mounted under it (a build sandbox's stores, the last mounted first), then removes the
   * tree, which holds copies of the stack images (gigabytes a run). Best effort: what cannot be
   * removed is left, never thrown.
   */
  public static void deleteWork(Path work) {
    if (work == null) {
      return;
    }
    try {
      String prefix = work.toAbsolutePath() + "/";
      List<String> mounted =
          Files.readString(Path.of("/proc/self/mountinfo"))
              .lines()
              .map(line -> line.split(" ")[4])
              .filter(mountPoint -> mountPoint.startsWith(prefix))
              .toList();
      mounted.reversed().forEach(mountPoint -> run("umount", mountPoint));
      if (Files.exists(work)) {
        try (Stream<Path> tree = Files.walk(work)) {
          tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: a directory left behind is the next cleaner's
    }
  }

  /**
   * Removes the containers, networks and images whose names start with {@code prefix}, as made by a
   * platform started with it (images are {@code <prefix>images/<tenant id>/<project id>/<app id>}).
   * Best effort: a podman that cannot be run leaves nothing to remove.
   */
  public static void removeEverythingNamed(String prefix) {
    String containers = podman("ps", "-aq", "--filter", "name=^" + prefix);
    if (!containers.isBlank()) {
      podman(concat(List.of("rm", "-f", "-t", "0"), containers.split("\\s+")));
    }
    String networks = podman("network", "ls", "-q", "--filter", "name=^" + prefix);
    if (!networks.isBlank()) {
      podman(concat(List.of("network", "rm", "-f"), networks.split("\\s+")));
    }
    String images =
        podman("images", "-q", "--filter", "reference=localhost/" + prefix + "images/*/*/*");
    if (!images.isBlank()) {
      podman(concat(List.of("rmi", "-f"), images.split("\\s+")));
    }
    // the platform's firewall table, and no other
    run("nft", "delete", "table", "inet", firewallTable(prefix));
  }

  /**
   * Removes an image's tag; the image goes with its last tag (never forced: builds running at once
   * may share its layers).
   */
  public static void removeImage(String image) {
    podman("rmi", image);
  }

  private static String[] concat(List<String> head, String[] tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  /**
   * The nftables table of the platform started with {@code prefix}: {@code slwtest_<prefix>} with
   * {@code _} for {@code -}.
   */
  public static String firewallTable(String prefix) {
    String table = "slwtest_" + prefix.replace('-', '_');
    return table.substring(0, Math.min(table.length(), 32));
  }

  private static String podman(String... arguments) {
    return run("podman", arguments);
  }

  private static String run(String program, String... arguments) {
    List<String> command = new ArrayList<>(List.of(program));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      process.waitFor(60, TimeUnit.SECONDS);
      return output.trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
