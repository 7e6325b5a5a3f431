package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.BuildRequest;
import io.slipway.build.queue.OwedDeploys;
import io.slipway.build.tenant.AppIds;
import io.slipway.testing.TestIds;
import io.slipway.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The deploy outbox inside build-service, on real PostgreSQL, against a JDK HTTP server standing in
 * for runtime-bridge (and for Keycloak's token endpoint). No workers run: the test finishes builds
 * by hand and sends or resends their deploy requests itself, as the worker and the scheduled resend
 * do.
 */
@SpringBootTest(properties = "slipway.build.workers=0")
class DeployOutboxIT {

  private static final String DATABASE = TestPostgres.newDatabase();
  private static final RuntimeBridge BRIDGE = new RuntimeBridge();

  @Autowired BuildQueue queue;
  @Autowired OwedDeploys owed;
  @Autowired DeployOutbox outbox;
  @Autowired JdbcClient jdbc;
  @Autowired List<ScheduledTaskHolder> schedules;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add("slipway.build.client-secret", () -> "unused");
    registry.add("slipway.build.data-dir", () -> "target/deploy-outbox-it-data");
    registry.add("slipway.build.oidc-issuer", () -> BRIDGE.url() + "/realms/slipway");
    registry.add("slipway.build.runtime-bridge-url", BRIDGE::url);
    // no request here carries a user's token: the issuer is never asked
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri",
        () -> BRIDGE.url() + "/realms/slipway");
  }

  @AfterAll
  static void stop() {
    BRIDGE.server.stop(0);
  }

  @BeforeEach
  void noOtherBuildOwesADeploy() {
    jdbc.sql("delete from build").update();
  }

  private Build succeeded(String app) {
    Build build =
        queue.enqueue(
            new BuildRequest(
                new AppRef("acme", "web", app),
                new AppIds(
                    TestIds.tenant("acme"),
                    TestIds.project("acme", "web"),
                    TestIds.app("acme", "web", app)),
                "c".repeat(40),
                "refs/heads/main",
                "u"));
    assertThat(queue.claim()).map(Build::id).contains(build.id());
    queue.finish(build.id(), true, null, image(build), "sha256:" + build.number());
    return build;
  }

  private static String image(Build build) {
    return "localhost/acme/web/" + build.app() + ":" + build.number();
  }

  private String log(Build build) {
    return queue
        .logSince(new AppRef(build.tenant(), build.project(), build.app()), build.number(), 0)
        .orElseThrow()
        .text();
  }

  @Test
  void aRequestLeftWithoutAnAnswerIsSentAgainUntilRuntimeBridgeAnswersThenNoMore() {
    BRIDGE.answer("down", 503);
    Build build = succeeded("down");

    outbox.send(build, image(build), "sha256:1");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(log(build)).contains("deploy request failed: 503"));
    assertThat(owed.state(build.id())).isEqualTo(OwedDeploys.State.OWED);

    BRIDGE.answer("down", 201);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              outbox.resend();
              assertThat(owed.state(build.id())).isEqualTo(OwedDeploys.State.SETTLED);
            });

    assertThat(outbox.resend()).isZero();
    assertThat(BRIDGE.requests("down"))
        .containsExactly(
            new Request(build.id().toString(), image(build), 503),
            new Request(build.id().toString(), image(build), 201));
    assertThat(log(build)).contains("deploy requested from runtime-bridge (request sent again)");
  }

  @Test
  void aRefusalSettlesTheRequestWithoutRetrying() {
    BRIDGE.answer("refused", 422);
    Build build = succeeded("refused");

    assertThat(outbox.resend()).isEqualTo(1); // as after a restart: the request was never sent

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(log(build))
                    .contains(
                        "runtime-bridge refused the deploy (422): image refused: 1 critical"
                            + " vulnerability"));
    assertThat(owed.state(build.id())).isEqualTo(OwedDeploys.State.SETTLED);
    // the push failed at its deploy stage, and says why wherever the build is shown
    Build.Deploy deploy = queue.byId(build.id()).orElseThrow().deploy();
    assertThat(deploy.status()).isEqualTo("refused");
    assertThat(deploy.reason()).endsWith("image refused: 1 critical vulnerability");
    assertThat(outbox.resend()).isZero();
    assertThat(BRIDGE.requests("refused"))
        .containsExactly(new Request(build.id().toString(), image(build), 422));
  }

  @Test
  void onlyTheLatestOwedBuildOfAnAppIsSentAgain() {
    BRIDGE.answer("busy", 201);
    Build first = succeeded("busy");
    Build second = succeeded("busy");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              outbox.resend();
              assertThat(owed.state(second.id())).isEqualTo(OwedDeploys.State.SETTLED);
            });

    assertThat(outbox.resend()).isZero();
    assertThat(BRIDGE.requests("busy"))
        .containsExactly(new Request(second.id().toString(), image(second), 201));
    assertThat(log(first)).doesNotContain("deploy");
  }

  @Test
  void aBuildWhoseTurnComesAfterANewerBuildOfItsAppSucceededIsNotDeployed() {
    BRIDGE.answer("late", 201);
    Build older = succeeded("late");
    succeeded("late");

    outbox.send(older, image(older), "sha256:1");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(log(older))
                    .contains("deploy not requested: a newer build of this app has succeeded"));
    assertThat(BRIDGE.requests("late")).isEmpty();
  }

  @Test
  void owedRequestsAreResentEveryFifteenSecondsFromSoonAfterStart() {
    assertThat(schedules)
        .flatMap(ScheduledTaskHolder::getScheduledTasks)
        .filteredOn(
            scheduled ->
                scheduled.getTask().getRunnable().toString().endsWith("DeployOutbox.resendOwed"))
        .singleElement()
        .satisfies(
            scheduled -> {
              FixedDelayTask task = (FixedDelayTask) scheduled.getTask();
              assertThat(task.getIntervalDuration()).isEqualTo(Duration.ofSeconds(15));
              assertThat(task.getInitialDelayDuration()).isEqualTo(Duration.ofSeconds(5));
            });
  }

  /** One deploy request runtime-bridge received and what it answered. */
  record Request(String buildId, String image, int status) {}

  /** runtime-bridge's deployments endpoint and Keycloak's token endpoint, answering per app. */
  static final class RuntimeBridge {

    private static final Pattern FIELD = Pattern.compile("\"(buildId|image)\":\"([^\"]*)\"");

    final HttpServer server;
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, Request>> received = new CopyOnWriteArrayList<>();

    RuntimeBridge() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      StubTokenEndpoint.addTo(server);
      server.createContext(
          "/api/v1/tenants/acme/projects/web/apps/",
          exchange -> {
            String app = exchange.getRequestURI().getPath().split("/")[8];
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> fields = new ConcurrentHashMap<>();
            Matcher matcher = FIELD.matcher(body);
            while (matcher.find()) {
              fields.put(matcher.group(1), matcher.group(2));
            }
            int status = answers.getOrDefault(app, 500);
            received.add(
                Map.entry(
                    app,
                    new Request(
                        fields.getOrDefault("buildId", "?"),
                        fields.getOrDefault("image", "?"),
                        status)));
            byte[] answer =
                (status == 422
                        ? "{\"title\":\"Invalid request\","
                            + "\"detail\":\"image refused: 1 critical vulnerability\"}"
                        : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(String app, int status) {
      answers.put(app, status);
    }

    List<Request> requests(String app) {
      return received.stream()
          .filter(entry -> entry.getKey().equals(app))
          .map(Map.Entry::getValue)
          .toList();
    }
  }
}
