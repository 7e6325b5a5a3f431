package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.RunningApp;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The function stacks end to end: a handler pushed with the real git client, built by the platform
 * on the stack images ({@code config/stacks/function-*}), run by podman as runtime-bridge runs apps
 * (read-only root, no capabilities, uid 65534), and called over HTTP the way the invoker calls it
 * (docs/functions.md, "The runtime protocol"). One probe image per runtime serves the class; each
 * test runs a container of its own, since a timeout ends one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionStacksIT extends BuildServiceTest {

  private static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Answers by {@code event.op}: greet, fail, lines (that many), spin (never returns), exit (the
   * process, or in Node its worker).
   */
  private static final Map<String, Map<String, String>> PROBES =
      Map.of(
          "node",
          Map.of(
              "handler.js",
              """
              exports.main = async (event) => {
                if (event.op === 'fail') throw new TypeError('no ' + event.what);
                if (event.op === 'lines') for (let i = 0; i < event.n; i++) console.log('line ' + i);
                if (event.op === 'spin') for (;;) {}
                if (event.op === 'exit') process.exit(3);
                console.log('greeting ' + event.name);
                console.error('to stderr');
                return { greeting: 'Hello, ' + event.name };
              };
              """),
          "python",
          Map.of(
              "handler.py",
              """
              import sys
              import time

              def main(event):
                  if event["op"] == "fail":
                      raise ValueError("no " + event["what"])
                  if event["op"] == "lines":
                      for i in range(event["n"]):
                          print("line", i)
                  if event["op"] == "spin":
                      time.sleep(600)
                  if event["op"] == "exit":
                      sys.exit(3)
                  print("greeting " + event["name"])
                  print("to stderr", file=sys.stderr)
                  return {"greeting": "Hello, " + event["name"]}
              """),
          "java",
          Map.of(
              "Handler.java",
              """
              import java.util.Map;

              public class Handler implements io.slipway.function.Handler {
                public Object handle(Map<String, Object> event) {
                  Object op = event.get("op");
                  if ("fail".equals(op)) throw new IllegalStateException("no " + event.get("what"));
                  if ("lines".equals(op)) {
                    for (long i = 0; i < (Long) event.get("n"); i++) System.out.println("line " + i);
                  }
                  if ("spin".equals(op)) for (;;) {}
                  System.out.println("greeting " + event.get("name"));
                  System.err.println("to stderr");
                  return Map.of("greeting", "Hello, " + event.get("name"));
                }
              }
              """));

  /** The handler's file, the runtime's file and where the handler's line is in a stack trace. */
  private static final Map<String, List<String>> FILES =
      Map.of(
          "node", List.of("handler.js", "runtime.js", "/app/handler.js:2"),
          "python", List.of("handler.py", "runtime.py", "File \"/app/handler.py\", line 6"),
          "java", List.of("Handler.java", "runtime.jar", "at Handler.handle(Handler.java:6)"));

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> probeImages = new HashMap<>();
  private final List<String> classImages = new ArrayList<>();
  private final List<RunningApp> running = new ArrayList<>();

  /** One runtime per stack for the tests that leave it serving: each start costs seconds. */
  private final Map<String, RunningApp> shared = new HashMap<>();

  private Path work;

  @BeforeAll
  void buildTheProbes() throws Exception {
    work = Files.createTempDirectory("slipway-function-it");
    for (String runtime : PROBES.keySet()) {
      Pushed probe = push("probe-" + runtime, PROBES.get(runtime));
      JsonNode build = probe.tenancy().awaitSucceeded(baseUrl(), 1);
      probeImages.put(runtime, build.path("image").asString());
      classImages.add(build.path("image").asString());
      assertThat(probe.tenancy().log(baseUrl(), 1))
          .contains("building with the function-" + runtime + " stack");
    }
  }

  @AfterEach
  void stopContainers() {
    running.forEach(RunningApp::close);
    running.clear();
  }

  @AfterAll
  void removeProbes() {
    shared.values().forEach(RunningApp::close);
    classImages.forEach(image -> Commands.run("buildah", "rmi", "-f", image));
    FileSystemUtils.deleteRecursively(work.toFile());
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "python", "java"})
  void theImageIsAFunctionWhoseFilesItsUserCannotChange(String runtime) throws Exception {
    String image = probeImages.get(runtime);
    assertThat(
            Commands.ok(
                "podman",
                "image",
                "inspect",
                "--format",
                "{{index .Config.Labels \"io.slipway.function\"}} {{.Config.User}}",
                image))
        .isEqualTo(runtime + " 65534");
    RunningApp app = shared(runtime);
    assertThat(get(app, "/healthz").statusCode()).isEqualTo(200);
    String handler = FILES.get(runtime).get(0);
    String runtimeFile = FILES.get(runtime).get(1);
    assertThat(
            Commands.ok(
                "podman",
                "exec",
                app.container(),
                "stat",
                "-c",
                "%U %a %n",
                "/opt/slipway/function",
                "/opt/slipway/function/" + runtimeFile,
                "/app",
                "/app/" + handler))
        .isEqualTo(
            String.join(
                "\n",
                "root 755 /opt/slipway/function",
                "root 644 /opt/slipway/function/" + runtimeFile,
                "root 755 /app",
                "root 644 /app/" + handler));
    if (runtime.equals("java")) {
      assertThat(
              Commands.ok(
                  "podman",
                  "exec",
                  app.container(),
                  "stat",
                  "-c",
                  "%U %a %n",
                  "/opt/slipway/handler",
                  "/opt/slipway/handler/Handler.class"))
          .isEqualTo("root 755 /opt/slipway/handler\nroot 644 /opt/slipway/handler/Handler.class");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "python", "java"})
  void aRunReturnsTheResultAndWhatTheHandlerPrinted(String runtime) throws Exception {
    RunningApp app = shared(runtime);
    JsonNode success = run(app, "{\"op\":\"greet\",\"name\":\"Ada\"}", 5000);
    assertThat(success.path("status").asString()).isEqualTo("success");
    assertThat(success.path("result").path("greeting").asString()).isEqualTo("Hello, Ada");
    assertThat(success.path("error").isNull()).isTrue();
    assertThat(success.path("logs").valueStream().map(JsonNode::asString))
        .containsExactly("greeting Ada", "to stderr");
    // still written to the container's own output
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Commands.run("podman", "logs", app.container()).output())
                    .contains("greeting Ada", "to stderr"));

    JsonNode error = run(app, "{\"op\":\"fail\",\"what\":\"cheese\"}", 5000);
    assertThat(error.path("status").asString()).isEqualTo("error");
    assertThat(error.path("result").isNull()).isTrue();
    assertThat(error.path("error").asString())
        .isEqualTo(
            Map.of(
                    "node", "TypeError: no cheese",
                    "python", "ValueError: no cheese",
                    "java", "java.lang.IllegalStateException: no cheese")
                .get(runtime));
    // the stack is the log's, naming the handler's line
    assertThat(String.join("\n", error.path("logs").valueStream().map(JsonNode::asString).toList()))
        .contains(FILES.get(runtime).get(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "python", "java"})
  void theLogsOfOneRunAreCappedAtAThousandLines(String runtime) throws Exception {
    RunningApp app = shared(runtime);
    List<String> logs =
        run(app, "{\"op\":\"lines\",\"n\":1003,\"name\":\"x\"}", 10_000)
            .path("logs")
            .valueStream()
            .map(JsonNode::asString)
            .toList();
    assertThat(logs).hasSize(1001);
    assertThat(logs.get(0)).isEqualTo("line 0");
    assertThat(logs.get(999)).isEqualTo("line 999");
    // the three lines left and the greeting's two
    assertThat(logs.get(1000)).isEqualTo("… 5 more lines not kept");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "python", "java"})
  void aRunThatOverrunsIsATimeoutASecondRunMeanwhileIsBusyAndTheRuntimeThenExits(String runtime)
      throws Exception {
    RunningApp app = start(runtime);
    CompletableFuture<HttpResponse<String>> spinning =
        http.sendAsync(
            runRequest(app, "{\"op\":\"spin\"}", 2000), HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                http.send(
                            runRequest(app, "{\"op\":\"greet\",\"name\":\"b\"}", 1000),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 503);
    HttpResponse<String> answered = spinning.get();
    assertThat(answered.statusCode()).isEqualTo(200);
    JsonNode timeout = JSON.readTree(answered.body());
    assertThat(timeout.path("status").asString()).isEqualTo("timeout");
    assertThat(timeout.path("error").asString())
        .isEqualTo("the handler did not finish within its time limit of 2000 ms");
    awaitState(app, "exited 1");
  }

  @ParameterizedTest
  @CsvSource({
    "node, the handler ended the runtime (exit code 3), exited 1",
    "python, SystemExit: 3, running 0"
  })
  void aHandlerThatExitsIsAnErrorAndNeverLeavesARuntimeWithoutItsHandler(
      String runtime, String error, String state) throws Exception {
    RunningApp app = start(runtime);
    JsonNode exited = run(app, "{\"op\":\"exit\"}", 5000);
    assertThat(exited.path("status").asString()).isEqualTo("error");
    assertThat(exited.path("error").asString()).isEqualTo(error);
    // Node's worker is gone, so the runtime goes (the platform starts it again); Python's
    // SystemExit is the handler's exception like any other
    awaitState(app, state);
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "python", "java"})
  void hostileRequestsGetAnswersNotFilesOrCrashes(String runtime) throws Exception {
    RunningApp app = shared(runtime);
    assertThat(
            Commands.run(
                    "curl",
                    "-s",
                    "--path-as-is",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    app.url("/../../etc/passwd").toString())
                .output())
        .isEqualTo("404");
    assertThat(get(app, "/run").statusCode()).isEqualTo(404);
    assertThat(get(app, "/app/" + FILES.get(runtime).get(0)).statusCode()).isEqualTo(404);

    HttpResponse<String> malformed = post(app, "{\"activationId\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).path("error").asString())
        .startsWith("the body is not valid JSON");
    assertThat(post(app, "{\"activationId\":\"a\",\"timeoutMs\":-1,\"event\":{}}").statusCode())
        .isEqualTo(400);

    HttpResponse<String> huge =
        post(app, "{\"activationId\":\"a\",\"timeoutMs\":1000,\"event\":\"" + "x".repeat(7 << 20));
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(huge.headers().firstValue("Content-Type")).hasValue("application/json");
    // and it still serves
    assertThat(run(app, "{\"op\":\"greet\",\"name\":\"c\"}", 5000).path("status").asString())
        .isEqualTo("success");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "function-node, function-node",
    "function-python, function-python",
    "function-java, function-java"
  })
  void theSamplesGreetAndAnswerAWebResponse(String sample, String stack) throws Exception {
    Map<String, String> files = new HashMap<>();
    try (var paths = Files.list(SAMPLES.resolve(sample))) {
      for (Path file : paths.toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    Pushed pushed = push(sample, files);
    JsonNode build = pushed.tenancy().awaitSucceeded(baseUrl(), 1);
    images.add(build.path("image").asString());
    assertThat(pushed.tenancy().log(baseUrl(), 1))
        .contains("building with the " + stack + " stack");
    RunningApp app = new RunningApp(build.path("image").asString());
    running.add(app);
    awaitHealthy(app);
    JsonNode greeting =
        run(app, "{\"trigger\":\"http\",\"path\":\"/\",\"query\":{\"name\":\"Ada\"}}", 5000);
    assertThat(greeting.path("result").path("greeting").asString())
        .isEqualTo("Hello, Ada, from " + sample + " on Slipway");
    assertThat(greeting.path("logs").valueStream().map(JsonNode::asString))
        .containsExactly("greeting Ada");
    JsonNode page =
        run(app, "{\"trigger\":\"http\",\"path\":\"/page\",\"query\":{\"name\":\"<b>\"}}", 5000)
            .path("result");
    assertThat(page.path("statusCode").asInt()).isEqualTo(200);
    assertThat(page.path("body").asString()).doesNotContain("<b>").startsWith("<h1>Hello, ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "handler.js|exports.main = (event) => {\\n  return {;\\n};\\n"
            + "|handler.js has a syntax error at line 2: SyntaxError: Unexpected token ';'",
        "handler.js|const greet = (event) => 1;\\n"
            + "|handler.js does not export a function: end it with module.exports = async (event)"
            + " => { ... } or exports.main = (event) => { ... }",
        "handler.js|require('left-pad');\\nmodule.exports = () => 1;\\n"
            + "|handler.js failed to load (line 1): Error: Cannot find module 'left-pad'",
        "handler.py|def main(event):\\n    return {\\n\\ndef other():\\n    pass\\n"
            + "|handler.py has a syntax error at line 2: SyntaxError: '{' was never closed",
        "handler.py|def handle(event):\\n    return 1\\n"
            + "|handler.py has no main(event): define def main(event): at its top level",
        "handler.py|import requests\\ndef main(event):\\n    return 1\\n"
            + "|handler.py failed to load (line 1): ModuleNotFoundError: No module named"
            + " 'requests'",
        "Handler.java|public class Handler implements io.slipway.function.Handler {\\n"
            + "  public Object handle(java.util.Map<String, Object> event) {\\n    return 1\\n  }\\n}\\n"
            + "|Handler.java does not compile: line 3: ';' expected",
        "Handler.java|public class Handler {\\n"
            + "  public Object handle(java.util.Map<String, Object> event) { return 1; }\\n}\\n"
            + "|the class Handler does not implement io.slipway.function.Handler: declare it as"
            + " public class Handler implements io.slipway.function.Handler",
      })
  void aHandlerThatCannotBeUsedFailsTheBuildSayingWhy(String file, String content, String reason)
      throws Exception {
    Pushed pushed = push("broken", Map.of(file, content.replace("\\n", "\n")));
    JsonNode build = pushed.tenancy().awaitEnded(baseUrl(), 1);
    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .startsWith(reason + " (fix it and push again); the log ends with:");
    assertThat(pushed.tenancy().log(baseUrl(), 1)).contains("slipway function: " + reason);
  }

  private record Pushed(Tenancy tenancy, Path repository) {}

  private Pushed push(String name, Map<String, String> files) throws Exception {
    GitCli git = new GitCli(work);
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    Path repo = Files.createTempDirectory(work, name);
    git.newRepository(repo, files);
    tenancy.push(git, repo, port);
    return new Pushed(tenancy, repo);
  }

  /** The runtime the tests that leave it serving share (a crash shows in the next test too). */
  private RunningApp shared(String runtime) {
    return shared.computeIfAbsent(
        runtime,
        name -> {
          RunningApp app = new RunningApp(probeImages.get(name));
          try {
            awaitHealthy(app);
          } catch (RuntimeException | AssertionError e) {
            app.close();
            throw e;
          }
          return app;
        });
  }

  /** A runtime of its own, for a test that ends it. */
  private RunningApp start(String runtime) {
    RunningApp app = new RunningApp(probeImages.get(runtime));
    running.add(app);
    awaitHealthy(app);
    return app;
  }

  /** Waits until podman says the container is in {@code state}: "status exit-code". */
  private static void awaitState(RunningApp app, String state) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Commands.ok(
                        "podman",
                        "inspect",
                        "--format",
                        "{{.State.Status}} {{.State.ExitCode}}",
                        app.container())
                    .equals(state));
  }

  private void awaitHealthy(RunningApp app) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> get(app, "/healthz").statusCode() == 200);
  }

  private JsonNode run(RunningApp app, String event, int timeoutMs) throws Exception {
    HttpResponse<String> response =
        http.send(runRequest(app, event, timeoutMs), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  private HttpRequest runRequest(RunningApp app, String event, int timeoutMs) {
    return HttpRequest.newBuilder(app.url("/run"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"activationId\":\"act-1\",\"timeoutMs\":"
                    + timeoutMs
                    + ",\"event\":"
                    + event
                    + "}"))
        .build();
  }

  private HttpResponse<String> post(RunningApp app, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(app.url("/run"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(RunningApp app, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(app.url(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
