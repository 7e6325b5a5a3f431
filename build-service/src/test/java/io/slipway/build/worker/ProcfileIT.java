package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.RunningApp;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app written for Heroku, pushed with the real git client and built in the real sandbox on the
 * python stack image {@code ./slipway test} makes: its Procfile's web line, not the stack's {@code
 * python3 app.py}, starts the image, and a faulty Procfile fails the build naming its line.
 */
class ProcfileIT extends BuildServiceTest {

  /** Quotes, {@code $PORT} for the container's shell and an inline comment it skips. */
  private static final String WEB =
      "python3 -m http.server \"$PORT\" --bind 0.0.0.0 # serves index.html, not app.py";

  /** A single quote, a backslash and a variable: the label must keep them all as written. */
  private static final String WORKER = "python3 worker.py \"$QUEUE\" 'it''s' \\ λ";

  /** Dokku's shape, its predeploy the worker's hostile command. */
  private static final String APP_JSON =
      JsonMapper.builder()
          .build()
          .writeValueAsString(
              Map.of(
                  "name",
                  "heroku-style",
                  "scripts",
                  Map.of("dokku", Map.of("predeploy", WORKER)),
                  "healthchecks",
                  Map.of("web", List.of(Map.of("path", "/health", "content", "ok"))),
                  "formation",
                  Map.of("worker", Map.of("quantity", 2)),
                  "env",
                  Map.of("DATABASE_URL", Map.of("required", true))));

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenant;
  private String image;

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenant = new Tenancy(TestTenantService.url());
  }

  @AfterEach
  void removeImage() {
    if (image != null) {
      Commands.run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void theProcfilesWebLineStartsThePythonAppInsteadOfAppPy() {
    JsonNode build =
        push(
            "heroku-style",
            Map.of(
                "Procfile",
                "# written for Heroku\r\n\r\nweb: " + WEB + "\r\nworker: " + WORKER + "\r\n",
                "app.py",
                "raise SystemExit('app.py is the stack default; the Procfile should start the app')\n",
                "worker.py",
                "print('a worker')\n",
                "index.html",
                "started by the Procfile's web line\n",
                "app.json",
                APP_JSON));

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log)
        .contains("building with the python stack")
        .contains("Procfile: the web process starts the app (line 3): /bin/sh -c " + WEB)
        .contains(
            "Procfile: worker runs in containers of its own from this image, as many as the app is"
                + " scaled to (none until then: scale worker=1)");
    String cmd =
        Commands.ok("podman", "image", "inspect", "--format", "{{json .Config.Cmd}}", image);
    assertThat(JsonMapper.builder().build().readValue(cmd, new TypeReference<List<String>>() {}))
        .containsExactly("/bin/sh", "-c", WEB);
    // every process type, as written, in the label runtime-bridge reads
    JsonMapper json = JsonMapper.builder().build();
    Map<String, String> labels =
        json.readValue(
            Commands.ok("podman", "image", "inspect", "--format", "{{json .Config.Labels}}", image),
            new TypeReference<Map<String, String>>() {});
    assertThat(
            json.readValue(
                labels.get("io.slipway.procfile"),
                new TypeReference<java.util.LinkedHashMap<String, String>>() {}))
        .containsExactly(Map.entry("web", WEB), Map.entry("worker", WORKER));
    // the app.json's runtime part, its command as written, in the label next to it
    assertThat(log)
        .contains(
            "app.json: predeploy runs before each deploy takes traffic; web is checked at /health;"
                + " first deploy's formation {worker=2}; requires DATABASE_URL");
    assertThat(json.readTree(labels.get("io.slipway.app-json")))
        .isEqualTo(
            json.readTree(
                "{\"predeploy\":"
                    + json.writeValueAsString(WORKER)
                    + ",\"formation\":{\"worker\":2},\"requiredEnv\":[\"DATABASE_URL\"],"
                    + "\"healthcheck\":{\"path\":\"/health\",\"content\":\"ok\",\"timeout\":5,"
                    + "\"attempts\":5,\"wait\":1}}"));
    try (RunningApp app = new RunningApp(image)) {
      assertThat(app.page()).isEqualTo("started by the Procfile's web line\n");
    }
  }

  @Test
  void aFaultyProcfileFailsTheBuildNamingItsLine() {
    JsonNode build =
        push(
            "faulty",
            Map.of(
                "Procfile",
                "web: gunicorn hello:app\n# the worker:\nworker celery -A tasks worker\n",
                "requirements.txt",
                ""));

    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .isEqualTo(
            "Procfile line 3 has no colon: a Procfile line is `<process type>: <command>`, a"
                + " comment starting with #, or blank (found `worker celery -A tasks worker`)");
    assertThat(tenant.log(baseUrl(), 1))
        .contains("Build failed: Procfile line 3 has no colon")
        .doesNotContain("buildah bud");
  }

  @Test
  void aFaultyAppJsonFailsTheBuildNamingTheMember() {
    JsonNode build =
        push(
            "faulty-app-json",
            Map.of(
                "Procfile",
                "web: python3 -m http.server \"$PORT\"\n",
                "app.json",
                "{\"formation\": {\"worker\": {\"quantity\": \"two\"}}}",
                "requirements.txt",
                ""));

    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .isEqualTo("app.json: formation.worker.quantity must be a whole number from 0 to 100");
    assertThat(tenant.log(baseUrl(), 1)).doesNotContain("buildah bud");
  }

  /** Pushes a new repository of {@code files} as the app's first build, which it awaits. */
  private JsonNode push(String name, Map<String, String> files) {
    tenant.push(git, git.newRepository(work.resolve(name), files), port);
    JsonNode build = tenant.awaitEnded(baseUrl(), 1);
    if (build.path("image").isString()) {
      image = build.path("image").asString();
    }
    return build;
  }
}
