package io.slipway.bench;

import io.slipway.bench.PushToLiveBenchmark.Stats;
import io.slipway.testing.ServiceProcess;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * slipway-cli's targets (issue 24) as a user meets them, each beside a baseline measured in the
 * same run: the jlink'd runtime that {@code ./slipway up} installs, built here afresh from the
 * packaged jar by {@code slipway-cli/src/dist/build-runtime}, run as a process like from a shell.
 *
 * <ul>
 *   <li>{@code slipway-cli --version} (target 100 ms) beside {@code /bin/true} (the cost of
 *       starting any process from here) and the runtime's own {@code java -version} (the floor of a
 *       JVM start with this runtime), and {@code --help} (the model of every command built);
 *   <li>{@code apps list} against tenant-service run from its jar (target 300 ms) beside {@code
 *       curl} making the same GET with the same personal access token;
 *   <li>the device login end to end (target 5 s): the CLI started, the browser's part scripted on
 *       Keycloak's pages ({@link TestKeycloak#approveDevice}), tokens received and checked with
 *       tenant-service; beside the browser's part alone;
 *   <li>the runtime's size on disk (target 50 MB) beside the JDK it was linked from.
 * </ul>
 *
 * <p>Prints p50 and p95 of wall time; asserts nothing about time. Runs: {@code -Dbench.cli.runs}
 * (default 20), logins {@code -Dbench.cli.logins} (default 5).
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliBenchmark {

  private static final int RUNS = Integer.getInteger("bench.cli.runs", 20);
  private static final int LOGINS = Integer.getInteger("bench.cli.logins", 5);
  private static final Pattern COMPLETE_URL = Pattern.compile("or open (\\S+)");
  private static final Path MODULE = Path.of("..", "slipway-cli").toAbsolutePath().normalize();

  private final List<String> report = new ArrayList<>();
  private Path work;
  private Path cli;
  private ServiceProcess tenant;
  private String user;
  private String password;

  @BeforeAll
  void buildRuntimeAndStartTenantService() throws Exception {
    work = Files.createTempDirectory("slipway-cli-bench");
    cli = buildRuntime();
    TestKeycloak.ensureClient("slipway-cli", Path.of("..", "keycloak", "slipway-realm.json"));
    String database = TestPostgres.newDatabase();
    // apps list and the login's check need tenant-service only: the other services would only
    // add load to the machine being measured
    tenant =
        ServiceProcess.start(
            "tenant-service",
            Map.of(
                "SLIPWAY_TENANT_DB_URL",
                database,
                "SLIPWAY_TENANT_DB_USER",
                "postgres",
                "SLIPWAY_TENANT_DB_PASSWORD",
                "postgres",
                "SLIPWAY_KEYCLOAK_URL",
                TestKeycloak.url(),
                "SLIPWAY_OIDC_ISSUER",
                TestKeycloak.issuer()),
            List.of());
    user = "clibench-" + UUID.randomUUID().toString().substring(0, 8);
    password = TestKeycloak.createUser(user);
  }

  @AfterAll
  void printAndStop() {
    System.out.println();
    System.out.printf(
        "slipway-cli benchmark (%s, %d cores, load average %s)%n",
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), loadAverage());
    report.forEach(System.out::println);
    System.out.println();
    if (tenant != null) {
      tenant.close();
    }
  }

  @Test
  void sizeOnDisk() throws IOException {
    Path home = cli.getParent().getParent();
    long runtime = bytes(home.resolve("runtime"));
    // the ahead-of-time cache (a JDK 25+ build), else the class-data archive (an older JDK)
    Path cache = home.resolve("lib/slipway-cli.aot");
    boolean aot = Files.exists(cache);
    long archive = bytes(aot ? cache : home.resolve("lib/slipway-cli.jsa"));
    long jars = bytes(home.resolve("lib")) - archive;
    long jdk = bytes(Path.of(System.getProperty("java.home")));
    report.add(
        "runtime on disk: %.1f MB (runtime/ %.1f MB, jars %.1f MB, %s %.1f MB);"
                .formatted(
                    mb(runtime + archive + jars),
                    mb(runtime),
                    mb(jars),
                    aot ? "ahead-of-time cache" : "class-data archive",
                    mb(archive))
            + " target 50 MB; baseline: the JDK it was linked from %.1f MB".formatted(mb(jdk)));
  }

  @Test
  void version() {
    Path java = cli.getParent().getParent().resolve("runtime/bin/java");
    List<Sample> truth = new ArrayList<>();
    List<Sample> jvm = new ArrayList<>();
    List<Sample> version = new ArrayList<>();
    List<Sample> help = new ArrayList<>();
    String shown = run(List.of(cli.toString(), "--version"), Map.of()).trim();
    if (!shown.startsWith("slipway-cli ")) {
      throw new IllegalStateException("slipway-cli --version printed: " + shown);
    }
    // interleaved, so that a burst of load on this shared machine hits all of them alike
    for (int i = 0; i < RUNS; i++) {
      truth.add(sample(List.of("/bin/true"), Map.of()));
      jvm.add(sample(List.of(java.toString(), "-version"), Map.of()));
      version.add(sample(List.of(cli.toString(), "--version"), Map.of()));
      help.add(sample(List.of(cli.toString(), "--help"), Map.of()));
    }
    header("start-up (" + shown + ")");
    row("baseline: /bin/true", truth);
    row("baseline: runtime's java -version", jvm);
    row("slipway-cli --version (target 100)", version);
    row("slipway-cli --help (every command's model)", help);
  }

  @Test
  void appsList() throws IOException {
    Map<String, String> env = cliEnvironment("apps");
    String jwt = TestKeycloak.userToken(user, password);
    ok(env, "login", "--token", jwt, "--tenant-url", tenant.url());
    String name = "b" + UUID.randomUUID().toString().substring(0, 8);
    ok(env, "tenants", "create", name);
    ok(env, "projects", "create", "web", "--tenant", name);
    for (String app : List.of("site", "api", "worker")) {
      ok(env, "apps", "create", app, "--tenant", name, "--project", "web");
    }
    Matcher token =
        Pattern.compile("\"token\": \"(slp_[^\"]+)\"")
            .matcher(ok(env, "tokens", "create", "bench", "--scope", "api", "-o", "json"));
    if (!token.find()) {
      throw new IllegalStateException("no token created");
    }
    // both sides send the same personal access token (tenant-service checks it on every call)
    ok(env, "login", "--token", token.group(1), "--tenant-url", tenant.url());
    List<String> appsList = List.of(cli.toString(), "apps", "list", "-t", name, "-p", "web");
    List<String> curl =
        List.of(
            "curl",
            "-fsS",
            "-o",
            "/dev/null",
            "-H",
            "Accept: application/json, application/problem+json",
            "-H",
            "Authorization: Bearer " + token.group(1),
            tenant.url() + "/api/v1/tenants/" + name + "/projects/web/apps?size=200");
    String listed = run(appsList, env);
    if (!listed.contains("worker")) {
      throw new IllegalStateException("apps list printed: " + listed);
    }
    for (int i = 0; i < 5; i++) { // the service's first answers are slow (JIT, pools)
      run(appsList, env);
      run(curl, env);
    }
    List<Sample> viaCurl = new ArrayList<>();
    List<Sample> viaCli = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      viaCurl.add(sample(curl, env));
      viaCli.add(sample(appsList, env));
    }
    header("apps list, 3 apps, tenant-service from its jar");
    row("baseline: curl, the same GET and token", viaCurl);
    row("slipway-cli apps list (target 300)", viaCli);
  }

  @Test
  void deviceLogin() throws Exception {
    Map<String, String> env = cliEnvironment("login");
    List<Long> total = new ArrayList<>();
    List<Long> browser = new ArrayList<>();
    for (int i = 0; i < LOGINS; i++) {
      long started = System.nanoTime();
      Process login =
          start(
              List.of(
                  cli.toString(),
                  "login",
                  "--tenant-url",
                  tenant.url(),
                  "--issuer",
                  TestKeycloak.issuer()),
              env);
      CompletableFuture<String> out = read(login.getInputStream());
      String url = completeUrl(login);
      long approving = System.nanoTime();
      TestKeycloak.approveDevice(url, user, password, true);
      browser.add((System.nanoTime() - approving) / 1_000_000);
      if (!login.waitFor(60, TimeUnit.SECONDS) || login.exitValue() != 0) {
        throw new IllegalStateException("login failed: " + out.join());
      }
      total.add((System.nanoTime() - started) / 1_000_000);
      if (!out.join().contains("Logged in as " + user)) {
        throw new IllegalStateException("login printed: " + out.join());
      }
    }
    header("device login, scripted browser (realm polling interval 1 s)");
    wallRow("baseline: the browser's part alone", browser);
    wallRow("slipway-cli login end to end (target 5000)", total);
  }

  /** Builds the runtime from the packaged jar as ./slipway up does; returns its launcher. */
  private Path buildRuntime() throws IOException, InterruptedException {
    Path script = MODULE.resolve("src/dist/build-runtime");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    ProcessBuilder builder =
        new ProcessBuilder(script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          script + " failed (package slipway-cli first: ./slipway bench does): " + output);
    }
    return Path.of(output.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  private Map<String, String> cliEnvironment(String name) throws IOException {
    Path home = Files.createDirectories(work.resolve("home-" + name));
    return Map.of(
        "HOME", home.toString(),
        "XDG_CONFIG_HOME", home.resolve("config").toString(),
        "PATH", System.getenv("PATH"),
        "SLIPWAY_TENANT_URL", tenant.url(),
        "SLIPWAY_OIDC_ISSUER", TestKeycloak.issuer());
  }

  private String ok(Map<String, String> env, String... args) {
    return run(Stream.concat(Stream.of(cli.toString()), Stream.of(args)).toList(), env);
  }

  /** Runs a command to its end; returns its standard output, or fails with its error. */
  private static String run(List<String> command, Map<String, String> env) {
    try {
      Process process = start(command, env);
      CompletableFuture<String> err = read(process.getErrorStream());
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(
            String.join(" ", command.subList(0, Math.min(3, command.size())))
                + " failed: "
                + err.join());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One run: wall time from the start of the process to its exit, and the CPU time it used. */
  record Sample(long millis, long cpuMillis) {}

  /**
   * One run, output discarded. CPU time (user and system) is the rise of this JVM's reaped
   * children's times in {@code /proc/self/stat} (10 ms ticks): on this shared 2-core machine wall
   * times swing with other work, CPU time much less.
   */
  private static Sample sample(List<String> command, Map<String, String> env) {
    try {
      long cpu = childrenCpuMillis();
      long started = System.nanoTime();
      Process process =
          processBuilder(command, env)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      int code = process.waitFor();
      long took = (System.nanoTime() - started) / 1_000_000;
      if (code != 0) {
        throw new IllegalStateException(command.getFirst() + " exited with " + code);
      }
      return new Sample(took, childrenCpuMillis() - cpu);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** User and system time of the children this JVM has waited for, in milliseconds. */
  private static long childrenCpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // counted from the state (field 3 of proc(5)): cutime is field 16, cstime field 17
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
  }

  private static Process start(List<String> command, Map<String, String> env) throws IOException {
    return processBuilder(command, env).start();
  }

  private static ProcessBuilder processBuilder(List<String> command, Map<String, String> env) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    if (!env.isEmpty()) {
      builder.environment().clear();
      builder.environment().putAll(env);
    }
    return builder;
  }

  private static CompletableFuture<String> read(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Reads the login's standard error until it shows the complete verification URL. */
  private static String completeUrl(Process login) throws IOException {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(login.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      seen.append(line).append('\n');
      Matcher url = COMPLETE_URL.matcher(line);
      if (url.find()) {
        // drain the rest so that the CLI never blocks on a full pipe
        CompletableFuture.runAsync(() -> err.lines().forEach(rest -> {}));
        return url.group(1);
      }
    }
    throw new IllegalStateException("the login showed no URL: " + seen);
  }

  private void header(String what) {
    report.add("");
    report.add(what + " (ms)");
    report.add("  %-44s %8s %8s %8s".formatted("", "p50", "p95", "CPU p50"));
  }

  private void row(String what, List<Sample> samples) {
    List<Long> millis = samples.stream().map(Sample::millis).toList();
    List<Long> cpu = samples.stream().map(Sample::cpuMillis).toList();
    report.add(
        "  %-44s %8d %8d %8d  (%d runs)"
            .formatted(
                what,
                Stats.percentile(millis, 50),
                Stats.percentile(millis, 95),
                Stats.percentile(cpu, 50),
                millis.size()));
  }

  /** Wall times only: a login's CPU is spread over the CLI and the scripted browser. */
  private void wallRow(String what, List<Long> millis) {
    report.add(
        "  %-44s %8d %8d %8s  (%d runs)"
            .formatted(
                what,
                Stats.percentile(millis, 50),
                Stats.percentile(millis, 95),
                "-",
                millis.size()));
  }

  private static long bytes(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return Files.size(path);
    }
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(CliBenchmark::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double mb(long bytes) {
    return bytes / 1_000_000.0;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
    } catch (IOException none) {
      return "unknown";
    }
  }
}
