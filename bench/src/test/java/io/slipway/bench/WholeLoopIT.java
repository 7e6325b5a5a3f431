package io.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.testing.BackgroundLoop;
import io.slipway.testing.GitCli;
import io.slipway.testing.Router;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The promise of Slipway, through public interfaces only: a user makes a tenant, a project and an
 * app with the REST API, pushes a sample with the git command line over HTTP, and the app answers
 * through the router; a pushed change replaces it with no failed request; a rollback brings the old
 * one back without a rebuild. Every sample of the README is pushed and answers as written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WholeLoopIT {

  private Path work;
  private TestPlatform platform;
  private Deployer deployer;
  private String user;
  private String password;

  @BeforeAll
  void startPlatform() throws Exception {
    work = Files.createTempDirectory("slipway-e2e");
    // two runtime-bridge replicas, as a chart with several runs them: build-service deploys through
    // one, the tests read and change apps through the other, and both reconcilers work
    platform = TestPlatform.start(Deployer.PREFIX, work, false, 2);
    user = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    password = TestKeycloak.createUser(user);
    deployer =
        Deployer.newTenant(
            platform, TestKeycloak.userToken(user, password), new GitCli(work), work);
  }

  @BeforeEach
  void signInAgain() {
    deployer = deployer.signedInAgain(TestKeycloak.userToken(user, password));
  }

  /** Whichever replica carried them out, no revision of any app was rolled out twice. */
  @AfterEach
  void noRevisionRolledOutTwice() {
    for (Deployer.App app : deployer.created()) {
      assertThat(deployer.rolloutsByRevision(app))
          .as("rollouts of each revision of " + app.name())
          .allSatisfy((revision, rollouts) -> assertThat(rollouts).isEqualTo(1L));
    }
  }

  @AfterAll
  void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
    TestPlatform.removeEverythingNamed(Deployer.PREFIX);
    TestPlatform.deleteWork(work);
  }

  @Test
  void staticSiteGoesLiveThenAChangeReplacesItWithoutAFailedRequestThenRollsBack()
      throws IOException {
    Deployer.App app = deployer.createApp("site");
    Path repository = deployer.repositoryOf(Path.of("..", "samples", "static-site"));

    Deployer.Live first = deployer.pushAndAwaitLive(app, repository);
    assertThat(deployer.fetch(app).body()).contains("Hello from Slipway");
    assertThat(first.build().path("status").asString()).isEqualTo("succeeded");
    // push-to-live is recorded stage by stage: the build's part, then the deploy's
    assertThat(stageNames(first.build())).containsExactly("receive", "queue", "build", "image");
    assertThat(stageNames(first.deployment()))
        .containsExactly("admission", "start", "health", "route");

    Path index = repository.resolve("index.html");
    Files.writeString(
        index, Files.readString(index).replace("Hello from Slipway", "Hello again from Slipway"));
    AtomicInteger requests = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Deployer.Live second;
    try (BackgroundLoop loop =
        BackgroundLoop.every(
            "requests",
            Duration.ofMillis(20),
            () -> {
              Router.Answer answer = deployer.fetch(app);
              requests.incrementAndGet();
              if (answer.status() != 200) {
                failures.add(answer.status() + " " + answer.body());
              }
            })) {
      second = deployer.pushAndAwaitLive(app, repository);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> deployer.fetch(app).body().contains("Hello again from Slipway"));
    }
    assertThat(requests.get()).as("requests sent during the redeploy").isGreaterThan(10);
    assertThat(failures).as("failed requests during the redeploy").isEmpty();
    assertThat(second.revision()).isGreaterThan(first.revision());

    deployer.rollback(app, first.revision());
    assertThat(deployer.fetch(app).body())
        .contains("Hello from Slipway")
        .doesNotContain("Hello again");
  }

  /**
   * A followed push ends the way it went: with the app's URL once live; and when the build
   * succeeded but the new revision exits at start, as a failed push naming the exit code after the
   * app's last output, the same in the API, while the previous revision keeps serving.
   */
  @Test
  void aFollowedPushEndsWithTheLiveUrlOrWhyItsDeployFailed() throws IOException {
    Deployer.App app = deployer.createApp("follow");
    Path repository = deployer.repositoryOf(Sample.STATIC_SITE.directory());

    String live = deployer.pushFollowed(app, repository);

    assertThat(lastSlipwayLine(live))
        .startsWith("remote: Slipway: build #1 is live as revision 1: http://" + app.host());
    Files.writeString(
        repository.resolve("Containerfile"),
        "FROM localhost/slipway/stacks/static:1\n"
            + "CMD [\"/bin/busybox\", \"sh\", \"-c\","
            + " \"echo cannot start: DATABASE_URL is not set; exit 3\"]\n");

    String crashed = deployer.pushFollowed(app, repository);

    assertThat(crashed).contains("remote: Slipway: cannot start: DATABASE_URL is not set");
    assertThat(lastSlipwayLine(crashed))
        .startsWith(
            "remote: Slipway: build #2 succeeded, but its deploy failed: revision 2 exited with"
                + " code 3 (its last log lines are above)");
    JsonNode build = deployer.build(app, 2);
    assertThat(build.path("status").asString()).isEqualTo("succeeded");
    assertThat(build.path("deploy").path("status").asString()).isEqualTo("failed");
    assertThat(build.path("deploy").path("reason").asString())
        .contains("exited with code 3", "DATABASE_URL is not set");
    assertThat(deployer.fetch(app).body()).contains("Hello from Slipway");
  }

  private static String lastSlipwayLine(String gitOutput) {
    return gitOutput
        .lines()
        .filter(line -> line.startsWith("remote: Slipway: "))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no Slipway line in:\n" + gitOutput));
  }

  /**
   * Two apps pushed the same files get byte-identical images (one digest), each signed for its own
   * repository: both are admitted, and the first one's rollback (admitted again, after the second
   * app's signature of the same digest was made) still finds its own signature.
   */
  @Test
  void twoAppsWithTheSameContentKeepTheirOwnSignatures() {
    Deployer.App first = deployer.createApp("twin-a");
    Deployer.Live live =
        deployer.pushAndAwaitLive(first, deployer.repositoryOf(Sample.PYTHON_APP.directory()));
    Deployer.App second = deployer.createApp("twin-b");
    deployer.pushAndAwaitLive(second, deployer.repositoryOf(Sample.PYTHON_APP.directory()));
    assertThat(deployer.fetch(second).body()).contains(Sample.PYTHON_APP.marker());

    deployer.rollback(first, live.revision());
    assertThat(deployer.fetch(first).body()).contains(Sample.PYTHON_APP.marker());
  }

  /**
   * A Heroku-style app (samples/node-worker-app): its Procfile's release runs before anything of
   * the revision starts, web answers, app.json's formation starts one worker whose log line shows,
   * {@code scale worker=2} runs two, the cron entry is listed; then a push whose release fails
   * stops its deploy with the release's output while the previous revision keeps serving.
   */
  @Test
  void aHerokuStyleAppRunsItsReleaseWebAndWorkersAndScalesItsWorker() throws IOException {
    Sample sample = Sample.NODE_WORKER_APP;
    Deployer.App app = deployer.createApp("procs");
    Path repository = deployer.repositoryOf(sample.directory());

    Deployer.Live live = deployer.pushAndAwaitLive(app, repository);

    assertThat(deployer.fetch(app).body()).contains(sample.marker());
    assertThat(stageNames(live.deployment()))
        .containsSubsequence("admission", "release", "start", "health", "route");
    assertThat(worker(app).path("count").asInt()).as("app.json's formation").isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deployer.logs(app, "worker", 20).contains("worker tick"));

    deployer.scale(app, "worker", 2);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                worker(app).path("count").asInt() == 2 && worker(app).path("running").asInt() == 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> deployer.logs(app, "worker", 1000).split("worker started", -1).length - 1 == 2);

    JsonNode entry = deployer.cron(app).path("entries").get(0);
    assertThat(entry.path("schedule").asString()).isEqualTo("@daily");
    assertThat(entry.path("command").asString()).isEqualTo("node report.js");
    assertThat(entry.path("nextRunAt").asString()).endsWith("T00:00:00Z");

    Files.writeString(repository.resolve("RELEASE_FAILS"), "the release refuses this version\n");
    Deployer.Live refused = deployer.pushAndAwaitDeployed(app, repository);

    assertThat(refused.deployment().path("status").asString()).isEqualTo("failed");
    assertThat(refused.deployment().path("reason").asString())
        .contains("release command exited with code 3", "RELEASE_FAILS is present");
    assertThat(deployer.fetch(app).body()).contains(sample.marker());
    assertThat(deployer.deployments(app).path("liveRevision").asInt()).isEqualTo(live.revision());
    assertThat(worker(app).path("running").asInt()).as("the old workers keep running").isEqualTo(2);
  }

  /**
   * A Python app in the Heroku style (samples/python-gunicorn-app): its Procfile's web line starts
   * gunicorn, which the build installed from requirements.txt, and app.json's health check gates
   * each deploy: a push whose check path answers other content is refused, naming the check, while
   * the previous revision keeps serving.
   */
  @Test
  void aGunicornAppGoesLiveAndItsAppJsonHealthCheckRefusesARevisionThatFailsIt()
      throws IOException {
    Sample sample = Sample.PYTHON_GUNICORN_APP;
    Deployer.App app = deployer.createApp("wsgi");
    Path repository = deployer.repositoryOf(sample.directory());

    Deployer.Live live = deployer.pushAndAwaitLive(app, repository);

    assertThat(deployer.fetch(app).body()).contains(sample.marker() + ", served by gunicorn/");
    assertThat(stageNames(live.deployment())).containsSubsequence("start", "health", "route");

    Path hello = repository.resolve("hello.py");
    String code = Files.readString(hello);
    Files.writeString(hello, code.replace("body = \"ready\"", "body = \"warming up\""));
    assertThat(Files.readString(hello)).as("the health answer changed").isNotEqualTo(code);
    Deployer.Live refused = deployer.pushAndAwaitDeployed(app, repository);

    assertThat(refused.deployment().path("status").asString()).isEqualTo("failed");
    assertThat(refused.deployment().path("reason").asString())
        .contains(
            "did not pass its app.json health check /health (expecting the content \"ready\")"
                + " in 5 attempts");
    assertThat(deployer.fetch(app).body()).contains(sample.marker());
    assertThat(deployer.deployments(app).path("liveRevision").asInt()).isEqualTo(live.revision());
  }

  /** The live revision's worker process type as the deployments view lists it. */
  private JsonNode worker(Deployer.App app) {
    for (JsonNode process : deployer.deployments(app).path("processes")) {
      if (process.path("type").asString().equals("worker")) {
        return process;
      }
    }
    throw new AssertionError("no worker process type in " + deployer.deployments(app));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"function-node", "function-python", "function-java"})
  void aFunctionIsBuiltFromItsHandlerServedAtItsUrlAndEachInvocationRecorded(String sample) {
    Deployer.App app = deployer.createApp(sample.replace("function-", "fn-"));
    deployer.pushAndAwaitLive(app, deployer.repositoryOf(Path.of("..", "samples", sample)));

    Router.Answer greeting = deployer.fetch(app, "/?name=ada");
    assertThat(greeting.status()).isEqualTo(200);
    assertThat(greeting.body()).contains("Hello, ada, from " + sample + " on Slipway");
    Router.Answer page = deployer.fetch(app, "/page?name=%3Cb%3Eada");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Hello, ").doesNotContain("<b>");

    JsonNode activations = deployer.activations(app).path("activations");
    assertThat(activations).hasSizeGreaterThanOrEqualTo(2);
    JsonNode first = activations.get(activations.size() - 1);
    assertThat(first.path("trigger").asString()).isEqualTo("http");
    assertThat(first.path("status").asString()).isEqualTo("success");
    assertThat(first.path("httpStatus").asInt()).isEqualTo(200);
    assertThat(first.path("resultBytes").asLong()).isPositive();
    assertThat(deployer.activation(app, first.path("id").asString()).path("logs").toString())
        .contains("greeting ada");
    deployer.stop(app);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void eachSampleIsBuiltOnItsStackAndAnswers(Sample sample) {
    Deployer.App app = deployer.createApp(sample.name().replace("-app", ""));
    Path repository = deployer.repositoryOf(sample.directory());
    deployer.pushAndAwaitLive(app, repository);
    assertThat(deployer.fetch(app).body()).contains(sample.marker());
    // the tests share one tenant, whose compute quota holds a few apps at a time
    deployer.stop(app);
  }

  static Stream<Sample> samples() {
    return Stream.of(
        Sample.NODE_APP,
        Sample.JAVA_MAVEN_APP,
        Sample.DOCKERFILE_APP,
        Sample.PYTHON_APP,
        Sample.RUBY_APP,
        Sample.PHP_APP);
  }

  private static List<String> stageNames(JsonNode withStages) {
    List<String> names = new ArrayList<>();
    withStages.path("stages").forEach(stage -> names.add(stage.path("name").asString()));
    return names;
  }
}
