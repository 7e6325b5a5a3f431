package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.podman.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Autoscaling on concurrency through the real Caddy, podman and the bridge (issue 22): requests
 * held in flight by a slow page are what Caddy counts; the autoscaler is driven with instants of
 * the test's own (its samples are real, its windows' clock is not), so a stable window passes
 * without waiting for it.
 */
class AutoscaleApiIT extends ApiFixture {

  /** Long enough that every slow request is still in flight while the passes run. */
  private static final int SLOW_SECONDS = 10;

  @Autowired Autoscaler autoscaler;
  @Autowired Invoker invoker;

  @Test
  void requestsInFlightScaleAnAppUpAtOnceAndAQuietStableWindowScalesItDown() throws Exception {
    String alice = aliceWithApp(); // project web: 1000 millicores, four replicas of 250
    try {
      bridge(alice, "POST", app, deployment(TestImages.slowPage(SLOW_SECONDS), 1, null), 201);
      String setting = appPath + "/autoscaling";
      JsonNode off = bridge(alice, "GET", setting, null, 200);
      assertThat(off.path("enabled").asBoolean()).isFalse();
      assertThat(off.path("supported").asBoolean()).isTrue();
      JsonNode refused =
          bridge(alice, "PUT", setting, "{\"enabled\":true,\"min\":2,\"max\":1}", 400);
      assertThat(refused.path("type").asString()).endsWith("/invalid-autoscaling");
      assertThat(refused.path("detail").asString()).contains("max must be from min (2) to 100");
      JsonNode on =
          bridge(
              alice,
              "PUT",
              setting,
              "{\"enabled\":true,\"min\":1,\"max\":3,\"targetConcurrency\":1}",
              200);
      assertThat(on.path("max").asInt()).isEqualTo(3);
      assertThat(on.path("targetConcurrency").asInt()).isEqualTo(1);

      Instant start = Instant.now();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<String>> slow = slowRequests(clients, 4);
        // four in flight for a panic window: at one each, twice the one replica and more
        for (int s = 0; s <= 6; s += 2) {
          autoscaler.pass(start.plusSeconds(s));
        }
        List<JsonNode> up = appEvents(alice, Autoscaler.AUTOSCALED);
        assertThat(up).hasSize(1);
        assertThat(up.getFirst().path("message").asString())
            .startsWith("Autoscaled from 1 to 3 replicas for ")
            .contains("panicking");
        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(() -> assertThat(appEventReasons(alice)).contains(AppChanges.SCALED));
        assertThat(containers()).hasSize(3);
        for (Future<String> request : slow) {
          // each one answered by the app, none dropped while the replicas were added
          assertThat(request.get()).startsWith("HTTP/1.1 200 ").contains("slow\n");
        }
      }

      // Quiet: the panic holds three until a stable window after it, then the minimum.
      autoscaler.pass(start.plusSeconds(30));
      assertThat(appEvents(alice, Autoscaler.AUTOSCALED)).hasSize(1);
      for (int s = 62; s <= 80; s += 2) {
        autoscaler.pass(start.plusSeconds(s));
      }
      List<JsonNode> down = appEvents(alice, Autoscaler.AUTOSCALED);
      assertThat(down).hasSize(2);
      assertThat(down.getFirst().path("message").asString())
          .startsWith("Autoscaled from 3 to 1 replicas for ")
          .contains("(0.0 over the panic window)");
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertThat(containers()).hasSize(1));
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aScaleUpTheQuotaRefusesIsNotMadeAndSaidOnce() throws Exception {
    String alice = aliceWithApp(); // 1000 millicores
    try {
      // three replicas of 250 millicores: room for one more, not for two
      bridge(alice, "POST", app, deployment(TestImages.slowPage(SLOW_SECONDS), 3, null), 201);
      bridge(
          alice,
          "PUT",
          appPath + "/autoscaling",
          "{\"enabled\":true,\"min\":1,\"max\":5,\"targetConcurrency\":1}",
          200);
      Instant start = Instant.now();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<String>> slow = slowRequests(clients, 8);
        for (int s = 0; s <= 8; s += 2) {
          autoscaler.pass(start.plusSeconds(s));
        }
        for (Future<String> request : slow) {
          request.get();
        }
      }
      List<JsonNode> refusals = appEvents(alice, Autoscaler.AUTOSCALE_REFUSED);
      assertThat(refusals).hasSize(1);
      assertThat(refusals.getFirst().path("type").asString()).isEqualTo("Warning");
      assertThat(refusals.getFirst().path("message").asString())
          .startsWith("Could not scale from 3 to 5 replicas: ")
          .contains("1000");
      assertThat(appEvents(alice, Autoscaler.AUTOSCALED)).isEmpty();
      assertThat(containers()).hasSize(3);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void invocationsWaitingForAFunctionsOneInstanceScaleItUp() throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.function(), 1, null), 201);
      bridge(
          alice,
          "PUT",
          appPath + "/autoscaling",
          "{\"enabled\":true,\"min\":1,\"max\":3,\"targetConcurrency\":1}",
          200);
      String appId = site(alice).appId();
      Instant start = Instant.now();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        // four invocations of four seconds each: one runs, three wait for the one instance
        String host = siteHost();
        List<Future<String>> lingering = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          lingering.add(clients.submit(() -> get(host, "/linger")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> invoker.inFlight(appId) == 4);
        // Caddy sees them at the invoker, not at the instance: the invoker's count is what scales
        for (int s = 0; s <= 6; s += 2) {
          autoscaler.pass(start.plusSeconds(s));
        }
        List<JsonNode> up = appEvents(alice, Autoscaler.AUTOSCALED);
        assertThat(up).hasSize(1);
        assertThat(up.getFirst().path("message").asString())
            .startsWith("Autoscaled from 1 to 3 replicas for ");
        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(() -> assertThat(appEventReasons(alice)).contains(AppChanges.SCALED));
        assertThat(containers()).hasSize(3);
        for (Future<String> invocation : lingering) {
          assertThat(invocation.get()).startsWith("HTTP/1.1 200 ").contains("/linger");
        }
      }
      assertThat(invoker.inFlight(appId)).isZero();
    } finally {
      forgetTenant();
    }
  }

  /**
   * {@code count} requests for the slow page through the router, sent at once; returns once Caddy
   * counts them all in flight.
   */
  private List<Future<String>> slowRequests(ExecutorService clients, int count) {
    String host = siteHost();
    List<Future<String>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(clients.submit(() -> slow(host)));
    }
    await()
        .atMost(Duration.ofSeconds(SLOW_SECONDS / 2))
        .until(
            () -> router.requestsInFlight().values().stream().mapToInt(Integer::intValue).sum(),
            inFlight -> inFlight >= count);
    return sent;
  }

  private static String slow(String host) throws IOException {
    return get(host, "/cgi-bin/slow");
  }

  private static String get(String host, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", CADDY.httpPort()), 5000);
      socket.setSoTimeout((SLOW_SECONDS + 20) * 1000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
