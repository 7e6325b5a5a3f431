package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.api.Json;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * slipway-cli as its own process in a real terminal (tmux), for what only a terminal shows: colors
 * on a terminal and none when piped or with {@code NO_COLOR}; servers' control characters never
 * acting on the terminal (an OSC sequence in an app's name, a log line or a problem detail would
 * set the terminal's title), also when standard input is not the terminal; a secret asked for and
 * typed without being shown. The services are stood in for by {@link FakeService}; the CLI runs on
 * the test's JDK limited to {@code java.base}, the only module of the runtime that {@code
 * build-runtime} links.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminalIT {

  /** Sets the terminal's title to "pwned" when it reaches a terminal. */
  private static final String TITLE = "\\u001b]2;pwned\\u0007";

  private static final String BENIGN =
      "{\"items\":[{\"tenant\":\"acme\",\"project\":\"web\",\"name\":\"site\","
          + "\"source\":\"hosted-git\",\"sourceRef\":null}]}";
  private static final String HOSTILE =
      "{\"items\":[{\"tenant\":\"acme\",\"project\":\"evil\",\"name\":\"site"
          + TITLE
          + "\",\"source\":\"image\",\"sourceRef\":\"\\u001b[31mred\"}]}";

  @TempDir static Path home;
  private FakeService service;
  private Tmux tmux;
  private Path launcher;

  @BeforeAll
  void start() throws IOException {
    // never a silent skip: ./slipway test installs tmux like the other tools the tests need
    assertThat(Tmux.installed())
        .as("tmux is not installed: ./slipway test installs it (apt-get install tmux)")
        .isTrue();
    service =
        new FakeService()
            .answer("GET /api/v1/tenants", 200, "{\"items\":[]}")
            .answer("GET /api/v1/tenants/acme/projects/web/apps", 200, BENIGN)
            .answer("GET /api/v1/tenants/acme/projects/evil/apps", 200, HOSTILE)
            .problem(
                "GET /api/v1/tenants/acme/projects/gone/apps", 404, "not-found", "gone" + TITLE)
            .text(
                "GET /api/v1/tenants/acme/projects/web/apps/site/logs",
                200,
                "text/event-stream",
                "data: started\u001b]2;pwned\u0007 on port 8080\n\n")
            .answer(
                "GET /api/v1/tenants/acme/projects/web/apps/site/env",
                200,
                "{\"env\":{},\"secrets\":[]}")
            .answer(
                "PUT /api/v1/tenants/acme/projects/web/apps/site/env",
                200,
                "{\"env\":{},\"secrets\":[\"DB_PASSWORD\"]}");
    Run cli =
        new Run(home)
            .env("SLIPWAY_TENANT_URL", service.url())
            .env("SLIPWAY_RUNTIME_URL", service.url());
    assertThat(cli.run("login", "--token", "slp_terminal").code()).isZero();
    launcher = launcher(cli.environment());
    tmux = new Tmux(Map.of("PATH", System.getenv("PATH"), "SHELL", "/bin/sh", "TERM", "xterm"));
  }

  @AfterAll
  void stop() {
    if (tmux != null) {
      tmux.close();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void colorsOnATerminalOnly() {
    Tmux.Screen terminal = tmux.run(cli("apps list -t acme -p web"));
    assertThat(terminal.exitCode()).as(terminal.text()).isZero();
    assertThat(terminal.escapes()).startsWith("\033[1mNAME  SOURCE      SOURCE_REF");
    assertThat(terminal.text()).contains("site  hosted-git  -");

    Tmux.Screen piped = tmux.run(cli("apps list -t acme -p web") + " | cat");
    assertThat(piped.text()).contains("NAME  SOURCE      SOURCE_REF", "site  hosted-git  -");
    assertThat(piped.escapes()).doesNotContain("\033");

    Tmux.Screen noColor = tmux.run("NO_COLOR=1 " + cli("apps list -t acme -p web"));
    assertThat(noColor.text()).contains("site  hosted-git  -");
    assertThat(noColor.escapes()).doesNotContain("\033");
  }

  @Test
  void controlCharactersFromServersNeverReachTheTerminal() {
    Tmux.Screen table = tmux.run(cli("apps list -t acme -p evil"));
    assertThat(table.exitCode()).isZero();
    assertThat(table.text()).contains("site]2;pwned", "[31mred");
    assertThat(table.title()).doesNotContain("pwned");
    assertThat(table.escapes()).doesNotContain("\033[31m");

    // standard input not the terminal (a pipe, a script's loop): standard output still is
    Tmux.Screen noInput = tmux.run(cli("apps list -t acme -p evil") + " </dev/null");
    assertThat(noInput.text()).contains("site]2;pwned");
    assertThat(noInput.title()).doesNotContain("pwned");

    Tmux.Screen logs = tmux.run(cli("logs -t acme -p web -a site"));
    assertThat(logs.text()).contains("started]2;pwned on port 8080");
    assertThat(logs.title()).doesNotContain("pwned");

    Tmux.Screen error = tmux.run(cli("apps list -t acme -p gone"));
    assertThat(error.exitCode()).isEqualTo(5);
    assertThat(error.escapes()).contains("\033[31merror:");
    assertThat(error.text()).contains("gone]2;pwned");
    assertThat(error.text()).doesNotContainPattern("\\n\\s+at [\\w.$]+\\(");
    assertThat(error.title()).doesNotContain("pwned");
  }

  @Test
  void aSecretIsAskedForAndNotShownAsItIsTyped() {
    String pane = tmux.start(cli("secrets set DB_PASSWORD -t acme -p web -a site"));
    tmux.awaitText(pane, "Value of DB_PASSWORD (not shown):");
    tmux.type(pane, "hunter2-s3cret");
    Tmux.Screen screen = tmux.awaitExit(pane);

    assertThat(screen.exitCode()).as(screen.text()).isZero();
    assertThat(screen.text()).contains("DB_PASSWORD").doesNotContain("hunter2");
    Map<String, Object> sent = Json.object(Json.parse(service.last().body()));
    assertThat(sent.get("secrets")).isEqualTo(Map.of("DB_PASSWORD", "hunter2-s3cret"));
  }

  @Test
  void aSecretIsNotReadFromATerminalThatWouldShowIt() {
    int requests = service.requests.size();
    // standard input is the terminal, standard output a pipe: echo cannot be turned off
    Tmux.Screen screen = tmux.run(cli("secrets set DB_PASSWORD -t acme -p web -a site") + " | cat");

    assertThat(screen.text()).contains("pipe the value in");
    assertThat(service.requests.subList(requests, service.requests.size()))
        .noneMatch(request -> request.method().equals("PUT"));
  }

  /** The shell command line that runs slipway-cli with {@code arguments}. */
  private String cli(String arguments) {
    return "'" + launcher + "' " + arguments;
  }

  /**
   * A launcher like build-runtime's: the CLI's classes and picocli on a JVM limited to java.base
   * (console and terminal behaviour as on the jlink'd runtime), with the run's environment.
   */
  private Path launcher(Map<String, String> environment) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    String classpath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> entry.endsWith("target/classes") || entry.contains("picocli"))
            .collect(Collectors.joining(File.pathSeparator));
    String exports =
        environment.entrySet().stream()
            .map(e -> "export " + e.getKey() + "='" + e.getValue() + "'\n")
            .collect(Collectors.joining());
    Path script = home.resolve("slipway-cli");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + exports
            + "exec '"
            + java
            + "' --limit-modules java.base -XX:TieredStopAtLevel=1"
            + " -Djdk.reflect.useNativeAccessorOnly=true -cp '"
            + classpath
            + "' io.slipway.cli.Main \"$@\"\n");
    script.toFile().setExecutable(true);
    return script;
  }
}
