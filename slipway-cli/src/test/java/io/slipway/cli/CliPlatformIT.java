package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.cli.api.Json;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * slipway-cli against the real platform (tenant-service, build-service and runtime-bridge from
 * their jars, the test run's Keycloak, Caddy, podman, buildah): the device login completed by
 * signing in on Keycloak's pages, a personal access token for scripts, the catalog, env and
 * secrets, and a push followed to a live app.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliPlatformIT {

  private static final String PREFIX = "slwcli-";
  private static final Pattern COMPLETE_URL = Pattern.compile("or open (\\S+)");

  private Path work;
  private TestPlatform platform;
  private String user;
  private String password;

  @BeforeAll
  void startPlatform() throws Exception {
    TestKeycloak.ensureClient("slipway-cli", Path.of("..", "keycloak", "slipway-realm.json"));
    work = Files.createTempDirectory("slipway-cli-it");
    platform = TestPlatform.start(PREFIX, work);
    user = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    password = TestKeycloak.createUser(user);
  }

  @AfterAll
  void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
    TestPlatform.removeEverythingNamed(PREFIX);
    TestPlatform.deleteWork(work);
  }

  @Test
  void deviceLoginIsCompletedInTheBrowserAndTheSessionWorks() throws Exception {
    Run cli = cli("device");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long started = System.nanoTime();
    CompletableFuture<Integer> login =
        CompletableFuture.supplyAsync(() -> cli.streaming(out, err, loginArguments()));

    String url =
        await().atMost(Duration.ofSeconds(10)).until(() -> completeUrl(err), u -> u != null);
    assertThat(err.toString())
        .containsPattern("open \\S+/device and enter the code [A-Z]{4}-[A-Z]{4}");
    assertThat(answerInBrowser(url, true)).containsIgnoringCase("success");

    assertThat(login.get()).as(err.toString()).isZero();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.println("device login end to end: " + took.toMillis() + " ms");
    assertThat(out.toString()).contains("Logged in as " + user);
    Run.Result whoami = cli.run("whoami", "-o", "json");
    assertThat(whoami.code()).as(whoami.err()).isZero();
    assertThat(Json.object(Json.parse(whoami.out())))
        .containsEntry("username", user)
        .containsEntry("kind", "oidc");
    Path credentials = cli.configDirectory().resolve("credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
        .isEqualTo("rw-------");

    assertThat(cli.run("logout").code()).isZero();
    Run.Result after = cli.run("whoami");
    assertThat(after.code()).isEqualTo(3);
    assertThat(after.err()).contains("not logged in");
  }

  @Test
  void aLoginDeniedInTheBrowserIsTheAuthCode() {
    Run cli = cli("denied");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> login =
        CompletableFuture.supplyAsync(() -> cli.streaming(out, err, loginArguments()));
    String url =
        await().atMost(Duration.ofSeconds(10)).until(() -> completeUrl(err), u -> u != null);

    answerInBrowser(url, false);

    assertThat(login.join()).isEqualTo(3);
    assertThat(err.toString()).contains("error: the login was denied in the browser");
    assertThat(cli.configDirectory().resolve("credentials.json")).doesNotExist();
  }

  @Test
  void aPersonalAccessTokenDrivesTheCatalogAndTheEnvironment() {
    String jwt = TestKeycloak.userToken(user, password);
    Run cli = cli("pat");
    assertThat(cli.run(login("--token", jwt)).code()).isZero();
    Run.Result created = cli.run("tokens", "create", "ci", "--scope", "api", "-o", "json");
    assertThat(created.code()).as(created.err()).isZero();
    Map<String, Object> token = Json.object(Json.parse(created.out()));
    String secret = (String) token.get("token");
    assertThat(secret).startsWith("slp_");

    assertThat(cli.run(login("--token", secret)).code()).isZero();
    String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(ok(cli, "tenants", "create", tenant)).contains("Created tenant " + tenant);
    assertThat(ok(cli, "use", tenant + "/web")).contains("Using " + tenant + "/web");
    assertThat(ok(cli, "projects", "create", "web")).contains("Created project " + tenant + "/web");
    assertThat(ok(cli, "apps", "create", "site")).contains("Created app " + tenant + "/web/site");
    assertThat(ok(cli, "apps", "create", "api", "--image", "docker.io/library/nginx:1.27"))
        .contains("/web/api");
    List<?> apps = (List<?>) Json.parse(ok(cli, "apps", "list", "-o", "json"));
    assertThat(apps)
        .extracting(app -> Json.object(app).get("name"))
        .containsExactlyInAnyOrder("site", "api");
    assertThat(ok(cli, "projects", "list")).contains("web");
    Run.Result taken = cli.run("projects", "create", "web");
    assertThat(taken.code()).isEqualTo(7);
    Run.Result stranger = cli.run("apps", "list", "--tenant", "nobody-" + tenant);
    assertThat(stranger.code()).isEqualTo(5);
    assertThat(ok(cli, "quota", "-o", "json")).contains("\"limits\"");

    // build-service and runtime-bridge accept personal access tokens like tenant-service
    assertThat(Json.parse(ok(cli, "builds", "list", "--app", "site", "-o", "json")))
        .isEqualTo(List.of());
    ok(cli, "env", "set", "GREETING=hello world", "LEVEL=debug", "--app", "site");
    ok(cli, "env", "unset", "LEVEL", "--app", "site");
    Object env = Json.parse(ok(cli, "env", "list", "--app", "site", "-o", "json"));
    assertThat(env).isEqualTo(List.of(Map.of("name", "GREETING", "value", "hello world")));
    Run.Result secrets =
        cli.withInput("pa55-word\n", "secrets", "set", "DB_PASSWORD", "--app", "site");
    assertThat(secrets.code()).as(secrets.err()).isZero();
    assertThat(secrets.out() + secrets.err()).doesNotContain("pa55-word");
    assertThat(ok(cli, "secrets", "list", "--app", "site"))
        .contains("DB_PASSWORD")
        .doesNotContain("pa55");

    // revoked (managing tokens needs a login session, here a JWT given with --token), the token
    // is refused at once with the auth exit code
    assertThat(cli.run(login("--token", jwt)).code()).isZero();
    ok(cli, "tokens", "revoke", String.valueOf(token.get("id")));
    Run.Result revoked = cli.run(login("--token", secret));
    assertThat(revoked.code()).isEqualTo(3);
    assertThat(revoked.err()).contains("refused the token (it may be revoked, expired or unknown)");
  }

  /**
   * docs/cli.md's session, replayed command by command in a clone of the static-site sample: each
   * line shown appears in the output (standard error, then standard output) in that order, {@code
   * ...} standing for any text; {@code (exit N)} is the exit code (0 when absent).
   */
  @Test
  void theTranscriptInDocsCliMdReplays() throws Exception {
    String tenant = "d" + UUID.randomUUID().toString().substring(0, 8);
    Run cli =
        cli("transcript")
            .env("SLIPWAY_TENANT_URL", platform.tenant().url())
            .env("SLIPWAY_BUILD_URL", platform.build().url())
            .env("SLIPWAY_RUNTIME_URL", platform.runtime().url())
            .env("SLIPWAY_OIDC_ISSUER", TestKeycloak.issuer());
    GitCli git = new GitCli(cli.home());
    Path repository = copy(Path.of("..", "samples", "static-site"), work.resolve("doc-" + tenant));
    git.ok(repository, "init", "-q", "-b", "main");
    git.ok(repository, "add", "-A");
    git.ok(repository, "commit", "-q", "-m", "first");
    cli.in(repository);

    List<Step> steps = transcript(Files.readString(Path.of("..", "docs", "cli.md")));
    assertThat(steps).hasSizeGreaterThan(10);
    for (Step step : steps) {
      String[] args = step.command().replace("acme", tenant).replace("alice", user).split(" ");
      // one writer for both streams: the lines in the order a terminal shows them
      StringWriter terminal = new StringWriter();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(() -> cli.streaming(terminal, terminal, args));
      if (args.length == 1 && args[0].equals("login")) {
        String url =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> completeUrl(terminal), u -> u != null);
        answerInBrowser(url, true);
      }
      int code = run.join();
      String output = terminal.toString();
      assertThat(code).as("$ slipway-cli " + step.command() + "\n" + output).isEqualTo(step.exit());
      List<String> lines = output.lines().toList();
      int at = 0;
      for (String expected : step.lines()) {
        Pattern line =
            Pattern.compile(wildcards(expected.replace("acme", tenant).replace("alice", user)));
        while (at < lines.size() && !line.matcher(lines.get(at).stripTrailing()).matches()) {
          at++;
        }
        assertThat(at)
            .as("$ slipway-cli %s: the line '%s' in\n%s", step.command(), expected, output)
            .isLessThan(lines.size());
        at++;
      }
    }
    // push left git a helper to ask, never the token itself
    assertThat(Files.readString(repository.resolve(".git/config")))
        .contains("git-credential")
        .doesNotContain("slp_");
    assertThat(git.ok(repository, "remote", "get-url", "slipway"))
        .endsWith("/git/" + tenant + "/web/site.git");
  }

  /** One command of the transcript, the lines it shows and its exit code. */
  record Step(String command, List<String> lines, int exit) {}

  static List<Step> transcript(String markdown) {
    String block = markdown.substring(markdown.indexOf("<!-- transcript -->"));
    block = block.substring(block.indexOf("```console\n") + 11);
    block = block.substring(0, block.indexOf("```"));
    List<Step> steps = new java.util.ArrayList<>();
    String command = null;
    List<String> lines = new java.util.ArrayList<>();
    int exit = 0;
    for (String line : (block + "$ end").lines().toList()) {
      if (line.startsWith("$ ")) {
        if (command != null) {
          steps.add(new Step(command, List.copyOf(lines), exit));
        }
        command = line.substring(2).replaceFirst("^slipway-cli ", "");
        lines.clear();
        exit = 0;
      } else if (line.matches("\\(exit \\d+\\)")) {
        exit = Integer.parseInt(line.replaceAll("\\D", ""));
      } else if (!line.equals("...")) {
        lines.add(line);
      }
    }
    return steps;
  }

  private static String wildcards(String line) {
    StringBuilder regex = new StringBuilder();
    String[] parts = line.split("\\.\\.\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
    }
    return regex.toString();
  }

  private String[] loginArguments() {
    return login();
  }

  private String[] login(String... more) {
    return Stream.concat(
            Stream.of(
                "login",
                "--tenant-url",
                platform.tenant().url(),
                "--build-url",
                platform.build().url(),
                "--runtime-url",
                platform.runtime().url(),
                "--issuer",
                TestKeycloak.issuer()),
            Stream.of(more))
        .toArray(String[]::new);
  }

  private Run cli(String name) {
    try {
      Path home = Files.createDirectories(work.resolve("home-" + name));
      Path launcher = home.resolve("slipway-cli");
      String java = ProcessHandle.current().info().command().orElse("java");
      Files.writeString(
          launcher,
          "#!/bin/sh\nexec '"
              + java
              + "' -cp '"
              + System.getProperty("java.class.path")
              + "' io.slipway.cli.Main \"$@\"\n");
      launcher.toFile().setExecutable(true);
      return new Run(home)
          .env("SLIPWAY_CLI_LAUNCHER", launcher.toString())
          .env("GIT_CONFIG_NOSYSTEM", "1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String ok(Run cli, String... args) {
    Run.Result result = cli.run(args);
    assertThat(result.code()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result.out();
  }

  private static String completeUrl(StringWriter err) {
    Matcher m = COMPLETE_URL.matcher(err.toString());
    return m.find() ? m.group(1) : null;
  }

  private String answerInBrowser(String url, boolean grant) {
    return TestKeycloak.approveDevice(url, user, password, grant);
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return to;
  }
}
