package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.RuntimeBridgeApplication;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.BackgroundLoop;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Two runtime-bridge replicas (the shared test bridge and a second application context of its own)
 * on one database, one podman and one Caddy: concurrent deploys of one app sent to both are each
 * accepted at once, rolled out one at a time by whichever replica holds the app's lease, each
 * exactly once unless a newer one superseded it before its rollout began, and the app converges on
 * the last accepted revision.
 */
class TwoReplicasIT extends ApiFixture {

  private static final Pattern REVISION = Pattern.compile("-v(\\d+)-\\d+$");
  private static final Duration CONVERGED = Duration.ofSeconds(120);

  /**
   * Between two samples of what runs: each is a {@code podman ps}, and a rollout's overlap lasts
   * seconds (start and health check), so sampling flat out would only load the machine.
   */
  private static final Duration SAMPLE_PAUSE = Duration.ofMillis(100);

  @Autowired ConfigurableEnvironment environment;
  @Autowired DataSource dataSource;

  @Test
  void concurrentDeploysToTwoReplicasRollOutOneAtATimeAndConvergeOnTheLast() throws Exception {
    String alice = aliceWithApp();
    try (ConfigurableApplicationContext second = secondReplica()) {
      String one = "http://127.0.0.1:" + port;
      String two =
          "http://127.0.0.1:" + ((WebServerApplicationContext) second).getWebServer().getPort();
      call(one, alice, "POST", appPath + "/deployments", deployment(image(1), 1, null), 201);

      // Sampled while the replicas roll out: never more than the live revision and one new one.
      AtomicInteger mostAtOnce = new AtomicInteger();
      Map<Integer, String> imageOf = new TreeMap<>();
      Map<String, Integer> images = new HashMap<>();
      try (BackgroundLoop sampler =
          BackgroundLoop.every(
              "sampler",
              SAMPLE_PAUSE,
              () -> mostAtOnce.accumulateAndGet(revisionsRunning().size(), Math::max))) {

        // Revisions 2 to 5, two to each replica at once; one of each pair waits for its rollout.
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
          List<Future<HttpResponse<String>>> sent = new ArrayList<>();
          for (int n = 2; n <= 5; n++) {
            String base = n % 2 == 0 ? one : two;
            String prefer = n <= 3 ? null : PREFER_WAIT;
            String body = small(image(n));
            sent.add(pool.submit(() -> post(base, alice, body, prefer)));
          }
          for (Future<HttpResponse<String>> answer : sent) {
            answers.add(answer.get());
          }
        }
        for (int n = 2; n <= 5; n++) {
          images.put(image(n), n);
        }
        for (int i = 0; i < answers.size(); i++) {
          HttpResponse<String> answer = answers.get(i);
          assertThat(answer.statusCode()).as(answer.body()).isIn(201, 202);
          JsonNode revision = JSON.readTree(answer.body());
          imageOf.put(revision.path("revision").asInt(), revision.path("image").asString());
          String location = answer.headers().firstValue("Location").orElseThrow();
          assertThat(URI.create(location).getPath())
              .isEqualTo(appPath + "/deployments/" + revision.path("revision").asInt());
          if (i < 2 && answer.statusCode() == 202) {
            // no Prefer: accepted, not rolled out yet
            assertThat(revision.path("status").asString()).isIn("pending", "deploying");
          } else if (i < 2) {
            // no Prefer, but the other replica's reconciler rolled it out (or a newer revision
            // superseded it) before it was answered: the answer tells the revision as it stands
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            assertThat(revision.path("status").asString()).isIn("live", "retired", "superseded");
          } else {
            // Prefer: wait: answered once its rollout ended (or a newer revision superseded it
            // before it began), by either replica
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            assertThat(revision.path("status").asString()).isIn("live", "retired", "superseded");
          }
        }
        assertThat(imageOf.keySet()).containsExactly(2, 3, 4, 5);

        await()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(
                () -> {
                  JsonNode status = bridge(alice, "GET", appPath + "/deployments", null, 200);
                  assertThat(status.path("liveRevision").asInt()).isEqualTo(5);
                  assertThat(revisionsRunning()).containsExactly(5);
                });
      }
      assertThat(mostAtOnce.get()).as("revisions running at once").isLessThanOrEqualTo(2);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body())
          .isEqualTo(body(images.get(imageOf.get(5))));

      // Each revision either rolled out exactly once, in the order accepted, and went live, or
      // was superseded by a newer one before its rollout began and never ran.
      JsonNode status = bridge(alice, "GET", appPath + "/deployments", null, 200);
      Set<Integer> superseded = new HashSet<>();
      for (JsonNode revision : status.path("revisions")) {
        int n = revision.path("revision").asInt();
        String state = revision.path("status").asString();
        if (n == 5) {
          assertThat(state).isEqualTo("live");
        } else {
          assertThat(state).as(revision.toString()).isIn("retired", "superseded");
        }
        if (state.equals("superseded")) {
          superseded.add(n);
          assertThat(revision.path("reason").asString()).matches("superseded by revision [3-5]");
          assertThat(revision.path("liveAt").isNull()).isTrue();
        } else {
          assertThat(revision.path("liveAt").isNull()).isFalse();
        }
      }
      List<Integer> deployed = deployedEvents(alice);
      assertThat(deployed).isSorted().doesNotHaveDuplicates().startsWith(1).endsWith(5);
      assertThat(deployed).noneMatch(superseded::contains);
      Set<Integer> accounted = new HashSet<>(deployed);
      accounted.addAll(superseded);
      assertThat(accounted).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
      assertThat(eventReasons(alice)).doesNotContain("Failed", "RolledBack", "Unhealthy");
      // the revision GET a 202's Location names, on the other replica
      JsonNode last = JSON.readTree(call(two, alice, "GET", appPath + "/deployments/5", null, 200));
      assertThat(last.path("status").asString()).isEqualTo("live");

      // Idempotent: passes of both replicas change nothing.
      List<String> before = containers();
      reconciler.reconcile();
      second.getBean(Reconciler.class).reconcile();
      assertThat(containers()).isEqualTo(before);
      assertThat(deployedEvents(alice)).isEqualTo(deployed);
      assertNoLeaseHeld(alice);
    } finally {
      forgetTenant();
    }
  }

  /**
   * The whole life of an app with every change sent, unwaited, to whichever replica comes next: two
   * deploys, a scale and a restart while they wait, then a stop and a start. Each is carried out
   * once by the replica holding the app's lease, the scale reaches the revision that goes live
   * after it, and both replicas' passes afterwards change nothing.
   */
  @Test
  void everyChangeSentToEitherReplicaIsCarriedOutOnceAndTheAppConverges() throws Exception {
    String alice = aliceWithApp();
    try (ConfigurableApplicationContext second = secondReplica()) {
      String one = "http://127.0.0.1:" + port;
      String two =
          "http://127.0.0.1:" + ((WebServerApplicationContext) second).getWebServer().getPort();
      call(one, alice, "POST", appPath + "/deployments", small(image(1)), 201);

      assertAccepted(unwaited(two, alice, "/deployments", small(image(2))));
      assertAccepted(unwaited(one, alice, "/deployments", small(image(3))));
      assertAccepted(unwaited(two, alice, "/scale", "{\"replicas\":2}"));
      assertAccepted(unwaited(one, alice, "/restart", null));

      // converged: the newest revision runs image 3 with the two replicas scaled to
      int newest = awaitLive(alice, image(3), 2);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo(body(3));
      List<Integer> deployed = rolledOutEvents(alice);
      assertThat(deployed).isSorted().doesNotHaveDuplicates().endsWith(newest);
      assertThat(eventReasons(alice)).doesNotContain("Failed", "RolledBack", "Unhealthy");

      assertAccepted(unwaited(two, alice, "/stop", null));
      await().atMost(CONVERGED).until(() -> containers().isEmpty());
      assertAccepted(unwaited(one, alice, "/start", null));
      int started = awaitLive(alice, image(3), 2);

      // Idempotent: passes of both replicas change nothing, and nothing rolled out twice.
      List<String> before = containers();
      reconciler.reconcile();
      second.getBean(Reconciler.class).reconcile();
      assertThat(containers()).isEqualTo(before);
      assertThat(rolledOutEvents(alice))
          .isSorted()
          .doesNotHaveDuplicates()
          .startsWith(deployed.toArray(Integer[]::new))
          .endsWith(started);
      assertNoLeaseHeld(alice);
    } finally {
      forgetTenant();
    }
  }

  private void assertNoLeaseHeld(String token) {
    assertThat(
            jdbc.sql("select count(*) from app_lease where app_id = ?")
                .param(site(token).appId())
                .query(Integer.class)
                .single())
        .as("no lease left held")
        .isZero();
  }

  /** Waits until the newest revision is live with {@code image} on {@code replicas} containers. */
  private int awaitLive(String token, String image, int replicas) {
    AtomicInteger live = new AtomicInteger();
    await()
        .atMost(CONVERGED)
        .untilAsserted(
            () -> {
              JsonNode status = bridge(token, "GET", appPath + "/deployments", null, 200);
              JsonNode newest = status.path("revisions").get(0);
              assertThat(newest.path("status").asString()).as(newest.toString()).isEqualTo("live");
              assertThat(newest.path("image").asString()).isEqualTo(image);
              assertThat(status.path("liveRevision").asInt())
                  .isEqualTo(newest.path("revision").asInt());
              assertThat(revisionsRunning()).containsExactly(newest.path("revision").asInt());
              assertThat(containers()).hasSize(replicas);
              live.set(newest.path("revision").asInt());
            });
    return live.get();
  }

  /** Accepted (202), or already carried out by the other replica by the time it was answered. */
  private static void assertAccepted(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201, 202);
  }

  /** A second bridge on the same database, podman, Caddy and settings as the shared one. */
  private ConfigurableApplicationContext secondReplica() throws SQLException {
    Map<String, Object> properties = new HashMap<>();
    environment.getPropertySources().stream()
        .filter(source -> source.getName().contains("Dynamic"))
        .filter(EnumerablePropertySource.class::isInstance)
        .map(EnumerablePropertySource.class::cast)
        .forEach(
            source -> {
              for (String name : source.getPropertyNames()) {
                properties.put(name, environment.getProperty(name));
              }
            });
    // the shared bridge's database itself: its dynamic property makes a new one each time asked
    try (Connection connection = dataSource.getConnection()) {
      properties.put("spring.datasource.url", connection.getMetaData().getURL());
    }
    properties.put("server.port", "0");
    // as arguments: properties given to the builder are defaults, below application.yaml
    return new SpringApplicationBuilder(RuntimeBridgeApplication.class, TestDns.Config.class)
        .run(
            properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new));
  }

  private HttpResponse<String> post(String base, String token, String body, String prefer)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + appPath + "/deployments"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (prefer != null) {
      request.header("Prefer", prefer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The revisions of the app whose web containers run now. */
  private Set<Integer> revisionsRunning() {
    Set<Integer> revisions = new HashSet<>();
    for (String name : containers()) {
      Matcher m = REVISION.matcher(name);
      if (m.find()) {
        revisions.add(Integer.parseInt(m.group(1)));
      }
    }
    return revisions;
  }

  /** The revisions of the app's {@code Deployed} events, oldest first. */
  private List<Integer> deployedEvents(String token) throws Exception {
    List<Integer> revisions = new ArrayList<>();
    for (JsonNode event : bridge(token, "GET", appPath + "/events", null, 200).path("items")) {
      if (event.path("reason").asString().equals("Deployed")) {
        revisions.addFirst(event.path("revision").asInt());
      }
    }
    return revisions;
  }

  /** The revisions of the app's {@code Deployed} and {@code Restarted} events, oldest first. */
  private List<Integer> rolledOutEvents(String token) throws Exception {
    List<Integer> revisions = new ArrayList<>();
    for (JsonNode event : bridge(token, "GET", appPath + "/events", null, 200).path("items")) {
      if (Set.of("Deployed", "Restarted").contains(event.path("reason").asString())) {
        revisions.addFirst(event.path("revision").asInt());
      }
    }
    return revisions;
  }

  private List<String> eventReasons(String token) throws Exception {
    List<String> reasons = new ArrayList<>();
    for (JsonNode event : bridge(token, "GET", appPath + "/events", null, 200).path("items")) {
      reasons.add(event.path("reason").asString());
    }
    return reasons;
  }

  private String image(int n) {
    return TestImages.httpd("replicas-" + n, body(n));
  }

  private static String body(int n) {
    return "revision-" + n + "\n";
  }

  /** A deploy of 100 millicores: four pending and the live one fit the project's 1,000. */
  private static String small(String image) {
    return "{\"image\":\"" + image + "\",\"port\":8080,\"cpuMillicores\":100,\"memoryMib\":32}";
  }
}
