package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments, defaults, output formats and credentials, against a stand-in service. */
class CommandsTest {

  private static final String APPS =
      "{\"items\":[{\"tenant\":\"acme\",\"project\":\"web\",\"name\":\"site\",\"source\":\"hosted-git\","
          + "\"sourceRef\":null,\"createdAt\":\"2026-01-01T00:00:00Z\",\"createdBy\":\"alice\","
          + "\"id\":\"a1\",\"newField\":\"ignored\"}],\"page\":0,\"size\":200,\"total\":1}";

  @TempDir Path home;
  private FakeService service;
  private Run cli;

  @BeforeEach
  void start() throws Exception {
    service =
        new FakeService()
            .answer("GET /api/v1/tenants", 200, "{\"items\":[]}")
            .answer("GET /api/v1/tenants/acme/projects/web/apps", 200, APPS);
    cli =
        new Run(home)
            .env("SLIPWAY_TENANT_URL", service.url())
            .env("SLIPWAY_BUILD_URL", service.url())
            .env("SLIPWAY_RUNTIME_URL", service.url());
    assertThat(cli.run("login", "--token", "slp_secret").code()).isZero();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void scaleTakesAProcessTypeAsHerokusPsScaleDoesAndLogsReadOne() throws Exception {
    String revision = "{\"revision\":2,\"status\":\"live\",\"image\":\"i\",\"replicas\":1}";
    service
        .answer("POST /api/v1/tenants/acme/projects/web/apps/site/scale", 200, revision)
        .text(
            "GET /api/v1/tenants/acme/projects/web/apps/site/logs",
            200,
            "text/event-stream",
            "data: tick\n\n");
    String[] app = {"-t", "acme", "-p", "web", "-a", "site"};

    assertThat(cli.run(concat(new String[] {"scale", "worker=2"}, app)).code()).isZero();
    assertThat(service.last().body()).isEqualTo("{\"replicas\":2,\"type\":\"worker\"}");
    assertThat(cli.run(concat(new String[] {"scale", "3"}, app)).code()).isZero();
    assertThat(service.last().body()).isEqualTo("{\"replicas\":3}");
    for (String bad : List.of("a b=1", "worker=", "=1", "worker=x", "../x=1")) {
      assertThat(cli.run(concat(new String[] {"scale", bad}, app)).code()).as(bad).isEqualTo(2);
    }

    assertThat(cli.run(concat(new String[] {"logs", "--process", "worker"}, app)).out())
        .contains("tick");
    assertThat(service.last().rawPath()).endsWith("/logs?tail=100&follow=false&process=worker");
  }

  @Test
  void deployAndRollbackAskRuntimeBridgeToAnswerOnceTheRolloutEnded() throws Exception {
    String apps = "/api/v1/tenants/acme/projects/web/apps/site";
    service
        .answer("POST " + apps + "/deployments", 201, "{\"revision\":3,\"status\":\"live\"}")
        .answer("POST " + apps + "/rollback", 202, "{\"revision\":4,\"status\":\"pending\"}");
    String[] app = {"-t", "acme", "-p", "web", "-a", "site"};

    assertThat(cli.run(concat(new String[] {"deploy", "--image", "nginx"}, app)).code()).isZero();
    // held until live or failed, within the CLI's two-minute read timeout
    assertThat(service.last().prefer()).isEqualTo("wait=110");
    // a rollout still under way when the wait ran out is no failure: it goes on
    Run.Result back = cli.run(concat(new String[] {"rollback", "--to", "1"}, app));
    assertThat(back.code()).isZero();
    assertThat(back.out()).contains("pending");
    assertThat(service.last().prefer()).isEqualTo("wait=110");
    assertThat(service.last().body()).isEqualTo("{\"revision\":1}");
  }

  @Test
  void rollbackWithoutARevisionSkipsThoseWhoseImageRetentionRemoved() throws Exception {
    String apps = "/api/v1/tenants/acme/projects/web/apps/site";
    service
        .answer(
            "GET " + apps + "/deployments",
            200,
            "{\"app\":\"site\",\"liveRevision\":3,\"revisions\":["
                + "{\"revision\":3,\"status\":\"live\",\"liveAt\":\"t\"},"
                + "{\"revision\":2,\"status\":\"retired\",\"liveAt\":\"t\","
                + "\"imageRemoved\":true},"
                + "{\"revision\":1,\"status\":\"retired\",\"liveAt\":\"t\"}]}")
        .answer("POST " + apps + "/rollback", 201, "{\"revision\":4,\"status\":\"live\"}");

    assertThat(cli.run("rollback", "-t", "acme", "-p", "web", "-a", "site").code()).isZero();
    assertThat(service.last().body()).isEqualTo("{\"revision\":1}");
  }

  @Test
  void promoteNamesTheTargetAppAndRefusesAMalformedOneBeforeAsking() throws Exception {
    String apps = "/api/v1/tenants/acme/projects/staging/apps/site";
    service.answer(
        "POST " + apps + "/promote",
        201,
        "{\"revision\":2,\"status\":\"live\",\"digest\":\"sha256:ab\"}");
    String[] app = {"-t", "acme", "-p", "staging", "-a", "site"};

    Run.Result promoted = cli.run(concat(new String[] {"promote", "prod/site"}, app));
    assertThat(promoted.code()).isZero();
    assertThat(promoted.out()).contains("live");
    assertThat(service.last().rawPath()).isEqualTo(apps + "/promote");
    assertThat(service.last().body()).contains("\"project\":\"prod\"").contains("\"app\":\"site\"");
    assertThat(service.last().prefer()).isEqualTo("wait=110");

    FakeService.Request before = service.last();
    Run.Result malformed = cli.run(concat(new String[] {"promote", "prod"}, app));
    assertThat(malformed.code()).isEqualTo(Exit.USAGE);
    assertThat(malformed.err()).contains("PROJECT/APP");
    assertThat(service.last()).isSameAs(before);
  }

  @Test
  void scaleToZeroShowsOptsInWithAPeriodAndOutAndRefusesContradictoryOptions() throws Exception {
    String apps = "/api/v1/tenants/acme/projects/web/apps/site";
    String[] app = {"-t", "acme", "-p", "web", "-a", "site"};
    service
        .answer(
            "GET " + apps + "/scale-to-zero",
            200,
            "{\"enabled\":false,\"idleAfter\":null,\"atZero\":false,\"supported\":true}")
        .answer(
            "PUT " + apps + "/scale-to-zero",
            200,
            "{\"enabled\":true,\"idleAfter\":\"10m\",\"pausedFor\":\"0s\",\"atZero\":false,"
                + "\"stage\":\"awake\",\"supported\":true}");

    assertThat(cli.run(concat(new String[] {"scale-to-zero"}, app)).code()).isZero();
    assertThat(service.last().method()).isEqualTo("GET");

    Run.Result on = cli.run(concat(new String[] {"scale-to-zero", "--after", "10m"}, app));
    assertThat(on.code()).isZero();
    assertThat(on.out()).contains("10m");
    assertThat(service.last().body())
        .contains("\"enabled\":true")
        .contains("\"idleAfter\":\"10m\"");

    Run.Result paused = cli.run(concat(new String[] {"scale-to-zero", "--paused-for", "1h"}, app));
    assertThat(paused.code()).isZero();
    assertThat(service.last().body())
        .contains("\"enabled\":true")
        .contains("\"pausedFor\":\"1h\"")
        .doesNotContain("idleAfter");

    assertThat(cli.run(concat(new String[] {"scale-to-zero", "--off"}, app)).code()).isZero();
    assertThat(service.last().body())
        .contains("\"enabled\":false")
        .doesNotContain("idleAfter\":\"")
        .doesNotContain("pausedFor");

    FakeService.Request before = service.last();
    Run.Result both = cli.run(concat(new String[] {"scale-to-zero", "--off", "--on"}, app));
    assertThat(both.code()).isEqualTo(Exit.USAGE);
    Run.Result pausedOff =
        cli.run(concat(new String[] {"scale-to-zero", "--off", "--paused-for", "1h"}, app));
    assertThat(pausedOff.code()).isEqualTo(Exit.USAGE);
    assertThat(pausedOff.err()).contains("--off cannot go with --on, --after or --paused-for");
    assertThat(service.last()).isSameAs(before);
  }

  @Test
  void autoscaleShowsOptsInWithBoundsAndOutAndRefusesContradictoryOptions() throws Exception {
    String apps = "/api/v1/tenants/acme/projects/web/apps/site";
    String[] app = {"-t", "acme", "-p", "web", "-a", "site"};
    service
        .answer(
            "GET " + apps + "/autoscaling",
            200,
            "{\"enabled\":false,\"min\":null,\"max\":null,\"targetConcurrency\":null,"
                + "\"supported\":true}")
        .answer(
            "PUT " + apps + "/autoscaling",
            200,
            "{\"enabled\":true,\"min\":2,\"max\":5,\"targetConcurrency\":20,"
                + "\"supported\":true}");

    Run.Result shown = cli.run(concat(new String[] {"autoscale"}, app));
    assertThat(shown.code()).as(shown.err()).isZero();
    assertThat(service.last().method()).isEqualTo("GET");

    Run.Result on =
        cli.run(
            concat(new String[] {"autoscale", "--min", "2", "--max", "5", "--target", "20"}, app));
    assertThat(on.code()).as(on.err()).isZero();
    assertThat(on.out()).contains("20");
    assertThat(Json.object(Json.parse(service.last().body())))
        .isEqualTo(Map.of("enabled", true, "min", 2L, "max", 5L, "targetConcurrency", 20L));

    assertThat(cli.run(concat(new String[] {"autoscale", "--off"}, app)).code()).isZero();
    assertThat(Json.object(Json.parse(service.last().body()))).isEqualTo(Map.of("enabled", false));

    FakeService.Request before = service.last();
    Run.Result both = cli.run(concat(new String[] {"autoscale", "--off", "--max", "3"}, app));
    assertThat(both.code()).isEqualTo(Exit.USAGE);
    assertThat(both.err()).contains("--off cannot go with --on, --min, --max or --target");
    assertThat(service.last()).isSameAs(before);
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  @Test
  void credentialsAreReadableByTheirOwnerOnly() throws Exception {
    Path directory = home.resolve("config/slipway");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    Path credentials = directory.resolve("credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(credentials)).contains("slp_secret");
    assertThat(service.last().authorization()).isEqualTo("Bearer slp_secret");

    assertThat(cli.run("logout").code()).isZero();
    assertThat(credentials).doesNotExist();
  }

  @Test
  void jsonOutputIsAnArrayOfTheServicesObjects() {
    Run.Result result =
        cli.run("apps", "list", "--tenant", "acme", "--project", "web", "-o", "json");

    assertThat(result.code()).as(result.err()).isZero();
    Object parsed = Json.parse(result.out());
    assertThat(parsed).isInstanceOf(List.class);
    Map<String, Object> app = Json.object(((List<?>) parsed).getFirst());
    // the service's object as its OpenAPI document defines it (AppView), a field it does not
    // define left out
    assertThat(app)
        .containsOnlyKeys(
            "createdAt",
            "createdBy",
            "hostLabel",
            "id",
            "name",
            "parent",
            "project",
            "projectId",
            "source",
            "sourceRef",
            "tenant",
            "tenantId")
        .containsEntry("id", "a1")
        .containsEntry("name", "site")
        .containsEntry("source", "hosted-git")
        .containsEntry("sourceRef", null);
  }

  @Test
  void yamlAndTableOutputs() {
    Run.Result yaml = cli.run("apps", "list", "-t", "acme", "-p", "web", "--output", "yaml");
    assertThat(yaml.out())
        .startsWith(
            "- createdAt: \"2026-01-01T00:00:00Z\"\n  createdBy: \"alice\"\n  hostLabel: null");

    Run.Result table = cli.run("apps", "list", "-t", "acme", "-p", "web");
    assertThat(table.out().lines().toList())
        .containsExactly("NAME  SOURCE      SOURCE_REF", "site  hosted-git  -");
    assertThat(table.out()).doesNotContain("\033[");
  }

  @Test
  void usageListsTheStorageByKindUnderItsTotal() {
    service.answer(
        "GET /api/v1/tenants/acme/usage",
        200,
        "{\"tenant\":\"acme\",\"limits\":{\"storageMib\":100,\"activations\":10000},"
            + "\"used\":{\"storageMib\":9,\"activations\":7},"
            + "\"overages\":{},\"measured\":[{\"key\":\"activations\",\"storageMib\":0,"
            + "\"activations\":7},{\"key\":\"git\",\"storageMib\":4},"
            + "{\"key\":\"images\",\"storageMib\":5}],\"projects\":{\"items\":[]}}");

    Run.Result table = cli.run("usage", "-t", "acme");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out().lines().map(String::strip).toList())
        .containsSubsequence(
            "storageMib          100    9     -",
            "storageMib: git     -      4     -",
            "storageMib: images  -      5     -");
    // the activations count is measured too, but it is no storage: a row of its own
    assertThat(table.out()).doesNotContain("storageMib: activations");
    assertThat(table.out().lines())
        .anyMatch(line -> line.matches("activations\\s+10000\\s+7\\s+-\\s*"));
    Run.Result json = cli.run("usage", "-t", "acme", "-o", "json");
    assertThat(json.out()).contains("\"measured\"", "\"key\": \"images\"");
  }

  @Test
  void colorsOnlyOnATerminalAndNeverWithNoColor() {
    Run.Result terminal = cli.onTerminal("apps", "list", "-t", "acme", "-p", "web");
    assertThat(terminal.out()).startsWith("\033[1mNAME  SOURCE      SOURCE_REF\033[0m\n");
    Run.Result error = cli.onTerminal("apps", "list", "-t", "nobody", "-p", "web");
    assertThat(error.err()).startsWith("\033[31merror:\033[0m ");

    Run.Result noColor =
        cli.env("NO_COLOR", "1").onTerminal("apps", "list", "-t", "acme", "-p", "web");
    assertThat(noColor.out()).doesNotContain("\033[");
  }

  @Test
  void aTerminalGetsNoControlCharactersFromServersOrApps() {
    String hostile = "evil\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u009b31m\rname\tx";
    service
        .answer(
            "GET /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{\"A\":\"" + hostile.replace("\\", "\\\\") + "\"},\"secrets\":[]}")
        .problem("GET /api/v1/tenants/acme/projects/other/apps", 404, "not-found", "gone\\u001b[2J")
        .text(
            "GET /api/v1/tenants/acme/projects/web/apps/site/logs",
            200,
            "text/event-stream",
            "data: line one\u001b[31m red\u009d8;;x\u0007\ndata: line two\n\n");

    Run.Result table = cli.onTerminal("env", "list", "-t", "acme", "-p", "web", "-a", "site");
    assertThat(table.out()).contains("A     evil]52;c;cHduZWQ=[2J31mname\tx");
    assertThat(controls(table.out())).isEmpty();

    Run.Result error = cli.onTerminal("apps", "list", "-t", "acme", "-p", "other");
    assertThat(error.err()).contains("gone[2J").doesNotContain("gone\u001b");

    Run.Result logs = cli.onTerminal("logs", "-t", "acme", "-p", "web", "-a", "site");
    assertThat(logs.out()).contains("line one[31m red8;;x\nline two");
    assertThat(controls(logs.out())).isEmpty();

    Run.Result piped = cli.run("env", "list", "-t", "acme", "-p", "web", "-a", "site");
    assertThat(piped.out()).contains(hostile);
    // JSON and YAML keep every character, escaped
    for (String format : List.of("json", "yaml")) {
      Run.Result structured =
          cli.onTerminal("env", "list", "-t", "acme", "-p", "web", "-a", "site", "-o", format);
      assertThat(structured.out())
          .contains("evil\\u001b]52;c;cHduZWQ=\\u0007\\u001b[2J\\u009b31m\\rname\\tx");
      assertThat(controls(structured.out())).isEmpty();
    }
    // standard error is a terminal even when standard output is piped
    Run.Result pipedError = cli.run("apps", "list", "-t", "acme", "-p", "other");
    assertThat(pipedError.err()).contains("gone[2J").doesNotContain("\u001b");
  }

  /** Control characters other than tab and newline, and those of the bold header. */
  private static String controls(String text) {
    return text.replace("\033[1m", "")
        .replace("\033[0m", "")
        .codePoints()
        .filter(c -> (c < 0x20 || (c >= 0x7f && c <= 0x9f)) && c != '\t' && c != '\n')
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  @Test
  void useStoresTheDefaultsAndAGitRemoteComesFirst() throws Exception {
    assertThat(cli.run("use", "acme/web").code()).isZero();
    assertThat(cli.run("apps", "list").code()).isZero();
    assertThat(service.last().rawPath()).startsWith("/api/v1/tenants/acme/projects/web/apps?");

    Path repository = Files.createDirectories(home.resolve("repo"));
    git(repository, "init", "-q");
    git(repository, "remote", "add", "slipway", service.url() + "/git/other/shop/cart.git");
    cli.in(repository).run("apps", "list");
    assertThat(service.last().rawPath()).startsWith("/api/v1/tenants/other/projects/shop/apps?");

    Path subdirectory = Files.createDirectories(repository.resolve("src/main"));
    cli.in(subdirectory).run("apps", "list");
    assertThat(service.last().rawPath()).startsWith("/api/v1/tenants/other/projects/shop/apps?");
  }

  @Test
  void namesAreEncodedAsOnePathSegment() {
    Run.Result result = cli.run("apps", "list", "--tenant", "../admin", "--project", "a?b#c");

    assertThat(result.code()).isEqualTo(5);
    assertThat(service.last().rawPath())
        .startsWith("/api/v1/tenants/..%2Fadmin/projects/a%3Fb%23c/apps?");
  }

  @Test
  void secretValuesAreSentButNeverPrinted() {
    service
        .answer(
            "GET /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{\"A\":\"1\"},\"secrets\":[]}")
        .answer(
            "PUT /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{\"A\":\"1\"},\"secrets\":[\"DB_PASSWORD\",\"TOKEN\"]}");

    Run.Result result =
        cli.withInput(
            "from-stdin-s3cret\n",
            "secrets",
            "set",
            "DB_PASSWORD",
            "TOKEN=inline-s3cret",
            "-t",
            "acme",
            "-p",
            "web",
            "-a",
            "site");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out() + result.err())
        .doesNotContain("s3cret")
        .contains("DB_PASSWORD")
        .contains("TOKEN");
    Map<String, Object> sent = Json.object(Json.parse(service.last().body()));
    assertThat(sent.get("env")).isEqualTo(Map.of("A", "1"));
    assertThat(sent.get("secrets"))
        .isEqualTo(Map.of("DB_PASSWORD", "from-stdin-s3cret", "TOKEN", "inline-s3cret"));

    Run.Result malformed =
        cli.run("secrets", "set", "=oops-s3cret", "-t", "acme", "-p", "web", "-a", "site");
    assertThat(malformed.code()).isEqualTo(2);
    assertThat(malformed.err()).doesNotContain("s3cret");
  }

  @Test
  void severalSecretsReadOneLineEachFromStandardInput() {
    service
        .answer(
            "GET /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{},\"secrets\":[]}")
        .answer(
            "PUT /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{},\"secrets\":[\"A\",\"B\"]}");

    Run.Result result =
        cli.withInput(
            "first-s3cret\nsecond-s3cret\n",
            "secrets",
            "set",
            "A",
            "B",
            "-t",
            "acme",
            "-p",
            "web",
            "-a",
            "site");

    assertThat(result.code()).as(result.err()).isZero();
    Map<String, Object> sent = Json.object(Json.parse(service.last().body()));
    assertThat(sent.get("secrets")).isEqualTo(Map.of("A", "first-s3cret", "B", "second-s3cret"));

    Run.Result short1 =
        cli.withInput(
            "only-one\n", "secrets", "set", "A", "B", "-t", "acme", "-p", "web", "-a", "site");
    assertThat(short1.code()).isEqualTo(2);
    assertThat(short1.err()).contains("no value on standard input");
  }

  @Test
  void aSecretTypedOnATerminalIsAskedForWithoutEchoAndStandardInputIsNotRead() {
    service
        .answer(
            "GET /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{},\"secrets\":[]}")
        .answer(
            "PUT /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{},\"secrets\":[\"DB_PASSWORD\"]}");
    Run.Screen screen = new Run.Screen("typed-s3cret");

    Run.Result result =
        cli.typing(
            screen, "secrets", "set", "DB_PASSWORD", "-t", "acme", "-p", "web", "-a", "site");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(screen.prompts()).containsExactly("Value of DB_PASSWORD (not shown): ");
    assertThat(Json.object(Json.parse(service.last().body())).get("secrets"))
        .isEqualTo(Map.of("DB_PASSWORD", "typed-s3cret"));
    assertThat(result.out() + result.err()).doesNotContain("s3cret");
  }

  @Test
  void aGitTokenThatGitRefusedIsForgottenAndTheNextGetMakesANewOne() throws Exception {
    Path credentials = home.resolve("config/slipway/credentials.json");
    Files.writeString(
        credentials,
        "{\"kind\":\"oidc\",\"accessToken\":\"access\",\"refreshToken\":\"r1\","
            + "\"expiresAt\":4102444800,\"gitToken\":\"slp_git_old\"}");
    String request = "protocol=http\nhost=127.0.0.1\nusername=slipway-cli\n";

    Run.Result get = cli.withInput(request + "\n", "git-credential", "get");
    assertThat(get.out()).contains("password=slp_git_old");

    Run.Result other =
        cli.withInput(request + "password=slp_something_else\n\n", "git-credential", "erase");
    assertThat(other.code()).isZero();
    assertThat(Files.readString(credentials)).contains("slp_git_old");

    Run.Result erase =
        cli.withInput(request + "password=slp_git_old\n\n", "git-credential", "erase");
    assertThat(erase.code()).isZero();
    assertThat(Files.readString(credentials)).doesNotContain("slp_git_old").contains("\"r1\"");

    service.answer(
        "POST /api/v1/tokens",
        201,
        "{\"id\":2,\"name\":\"git\",\"scopes\":[\"git\"],\"token\":\"slp_git_new\"}");
    Run.Result again = cli.withInput(request + "\n", "git-credential", "get");
    assertThat(again.out()).contains("password=slp_git_new");
    assertThat(service.last().authorization()).isEqualTo("Bearer access");
    assertThat(Files.readString(credentials)).contains("slp_git_new");
  }

  @Test
  void aLoginTokenRefusedByGitIsNotForgotten() throws Exception {
    Path credentials = home.resolve("config/slipway/credentials.json");

    Run.Result erase =
        cli.withInput(
            "protocol=http\nhost=127.0.0.1\nusername=slipway-cli\npassword=slp_secret\n\n",
            "git-credential",
            "erase");

    assertThat(erase.code()).isZero();
    assertThat(Files.readString(credentials)).contains("slp_secret");
  }

  @Test
  void envSetKeepsTheOtherVariables() {
    service
        .answer(
            "GET /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{\"KEEP\":\"1\",\"CHANGE\":\"old\"},\"secrets\":[\"S\"]}")
        .answer(
            "PUT /api/v1/tenants/acme/projects/web/apps/site/env",
            200,
            "{\"env\":{\"CHANGE\":\"new\",\"KEEP\":\"1\"},\"secrets\":[\"S\"]}");

    Run.Result result =
        cli.run("env", "set", "CHANGE=new", "-t", "acme", "-p", "web", "-a", "site");

    assertThat(result.code()).as(result.err()).isZero();
    Map<String, Object> sent = Json.object(Json.parse(service.last().body()));
    assertThat(sent.get("env")).isEqualTo(Map.of("KEEP", "1", "CHANGE", "new"));
    assertThat(sent.get("secrets")).isEqualTo(Map.of());
    assertThat(result.out()).contains("CHANGE  new");
  }

  @Test
  void anExpiredSessionIsRenewedSilentlyWithTheRefreshToken() throws Exception {
    Path credentials = home.resolve("config/slipway/credentials.json");
    Files.writeString(
        credentials,
        "{\"kind\":\"oidc\",\"username\":\"alice\",\"accessToken\":\"old\",\"refreshToken\":\"r1\","
            + "\"expiresAt\":1}");
    service.answer(
        "POST /realms/slipway/protocol/openid-connect/token",
        200,
        "{\"access_token\":\"new\",\"refresh_token\":\"r2\",\"expires_in\":300}");
    cli.env("SLIPWAY_OIDC_ISSUER", service.url() + "/realms/slipway");
    Files.delete(home.resolve("config/slipway/servers.json"));

    Run.Result result = cli.run("tenants", "list");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(service.last().authorization()).isEqualTo("Bearer new");
    assertThat(Files.readString(credentials)).contains("\"r2\"").doesNotContain("\"old\"");
  }

  @Test
  void aRefusedRefreshIsTheAuthCode() throws Exception {
    Files.writeString(
        home.resolve("config/slipway/credentials.json"),
        "{\"kind\":\"oidc\",\"username\":\"alice\",\"accessToken\":\"old\",\"refreshToken\":\"r1\","
            + "\"expiresAt\":1}");
    service.answer(
        "POST /realms/slipway/protocol/openid-connect/token", 400, "{\"error\":\"invalid_grant\"}");
    cli.env("SLIPWAY_OIDC_ISSUER", service.url() + "/realms/slipway");
    Files.delete(home.resolve("config/slipway/servers.json"));

    Run.Result result = cli.run("tenants", "list");

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).contains("your session has ended").contains("slipway-cli login");
  }

  @Test
  void helpHasExamplesAndCompletionIsABashScript() {
    assertThat(cli.run("apps", "--help").out())
        .contains("Examples:")
        .contains("slipway-cli apps create site");
    Run.Result completion = cli.run("completion", "bash");
    assertThat(completion.code()).isZero();
    assertThat(completion.out()).contains("complete -F").contains("apps").contains("secrets");
    assertThat(cli.run("completion", "fish").code()).isEqualTo(2);
  }

  @Test
  void everyCommandsHelpEndsWithExamplesOfItsOwn() {
    Cli model =
        new Cli(
            cli.environment(),
            home,
            java.io.InputStream.nullInputStream(),
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            Terminal.NONE);
    List<List<String>> commands = new java.util.ArrayList<>();
    for (picocli.CommandLine command : Main.commandLine(model).getSubcommands().values()) {
      if (command.getCommandSpec().usageMessage().hidden()) {
        continue; // git-credential: git's, not a person's
      }
      commands.add(List.of(command.getCommandName()));
      command
          .getSubcommands()
          .keySet()
          .forEach(sub -> commands.add(List.of(command.getCommandName(), sub)));
    }
    assertThat(commands).hasSizeGreaterThan(40);
    for (List<String> command : commands) {
      String[] args =
          java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
              .toArray(String[]::new);
      Run.Result help = cli.run(args);
      assertThat(help.code()).as(String.join(" ", args) + help.err()).isZero();
      String examples = help.out().substring(Math.max(0, help.out().indexOf("Examples:")));
      // the examples of apps list show apps list (or, when it has none of its own, apps ...)
      assertThat(examples)
          .as(String.join(" ", command) + " --help:\n" + help.out())
          .startsWith("Examples:")
          .contains("slipway-cli " + command.getFirst());
    }
    assertThat(cli.run("apps", "list", "--help").out())
        .contains("Examples:\n  slipway-cli apps list\n")
        .doesNotContain("apps create");
  }

  private static void git(Path directory, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
    assertThat(process.waitFor()).isZero();
  }
}
