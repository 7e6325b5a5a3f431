package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Scale to zero through the real Caddy, podman and the bridge (issue 22): an idle app's instances
 * are stopped and its host held by the activator; 50 requests at once wake it once and are all
 * served by the app; an app at zero holds no compute, and a wake its quota no longer allows is
 * refused and said so; a request carrying a forged activator header wakes no other app. The idle
 * pass is driven with the test's own clock.
 */
class ScaleToZeroApiIT extends ApiFixture {

  private static final int BURST = 50;

  @Autowired ScaleToZero scaleToZero;
  @Autowired ActivatorEndpoint activator;

  @Test
  void anIdleAppGoesToZeroAndOneBurstWakesItOnceServingEveryRequest() throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("zero-one", "zero\n"), 1, null), 201);
      String setting = appPath + "/scale-to-zero";
      assertThat(bridge(alice, "GET", setting, null, 200).path("enabled").asBoolean()).isFalse();
      JsonNode refused =
          bridge(alice, "PUT", setting, "{\"enabled\":true,\"idleAfter\":\"30s\"}", 400);
      assertThat(refused.path("type").asString()).endsWith("/invalid-scale-to-zero");
      assertThat(refused.path("detail").asString()).contains("from 1m to 24h");
      JsonNode on = bridge(alice, "PUT", setting, "{\"enabled\":true,\"idleAfter\":\"1m\"}", 200);
      assertThat(on.path("enabled").asBoolean()).isTrue();
      assertThat(on.path("idleAfter").asString()).isEqualTo("1m");
      assertThat(on.path("atZero").asBoolean()).isFalse();

      // A request between two samples is traffic: not idle yet.
      Instant start = Instant.now();
      scaleToZero.pass(start);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("zero\n");
      scaleToZero.pass(start.plusSeconds(61));
      assertThat(containers()).hasSize(1);
      String address = address(containers().getFirst());
      // No request for a minute: stopped, kept, the host held by the activator.
      scaleToZero.pass(start.plusSeconds(122));
      assertThat(containers()).isEmpty();
      assertThat(containers(true)).hasSize(1);
      // its pod keeps its network (address, routes, firewall rules) while it is stopped, so a
      // wake does not set one up again (its own network would have been torn down at the stop)
      assertThat(address(containers(true).getFirst())).isNotEmpty().isEqualTo(address);
      assertThat(bridge(alice, "GET", setting, null, 200).path("atZero").asBoolean()).isTrue();
      assertThat(appEventReasons(alice)).first().isEqualTo("ScaledToZero");
      // the reconciler leaves it at zero rather than starting it again
      reconciler.reconcile();
      assertThat(containers()).isEmpty();
      assertThat(appEventReasons(alice)).doesNotContain("Exited");

      List<Long> millis = new ArrayList<>();
      List<Reply> replies = burst(siteHost(), BURST, millis);
      assertThat(replies)
          .hasSize(BURST)
          .allSatisfy(reply -> assertThat(reply).isEqualTo(new Reply(200, "zero\n")));
      List<JsonNode> woken = appEvents(alice, "Woken");
      assertThat(woken).hasSize(1);
      assertThat(containers()).hasSize(1);
      assertThat(containers(true)).hasSize(1);
      assertThat(address(containers().getFirst())).isEqualTo(address);
      millis.sort(null);
      System.out.printf(
          "Scale to zero: a burst of %d requests at an app at zero: first answer %d ms, median %d"
              + " ms, last %d ms; %s%n",
          BURST,
          millis.getFirst(),
          millis.get(millis.size() / 2),
          millis.getLast(),
          woken.getFirst().path("message").asString());

      // Awake: routed to the instance again, and kept so.
      assertThat(bridge(alice, "GET", setting, null, 200).path("atZero").asBoolean()).isFalse();
      reconciler.reconcile();
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("zero\n");
      assertThat(appEvents(alice, "Woken")).hasSize(1);

      // Opting out of an app at zero wakes it.
      scaleToZero.pass(start.plusSeconds(200));
      scaleToZero.pass(start.plusSeconds(300));
      assertThat(containers()).isEmpty();
      JsonNode off = bridge(alice, "PUT", setting, "{\"enabled\":false}", 200);
      assertThat(off.path("enabled").asBoolean()).isFalse();
      assertThat(off.path("atZero").asBoolean()).isFalse();
      assertThat(containers()).hasSize(1);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("zero\n");
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aPausedStageResumesTheSameProcessesAtOnceKeepsItsComputeAndStopsWhenItEnds()
      throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("zero-p", "paused\n"), 2, null), 201);
      String setting = appPath + "/scale-to-zero";
      JsonNode refused =
          bridge(
              alice,
              "PUT",
              setting,
              "{\"enabled\":true,\"idleAfter\":\"1m\",\"pausedFor\":\"2d\"}",
              400);
      assertThat(refused.path("detail").asString()).contains("pausedFor must be a whole number");
      JsonNode on =
          bridge(
              alice,
              "PUT",
              setting,
              "{\"enabled\":true,\"idleAfter\":\"1m\",\"pausedFor\":\"10m\"}",
              200);
      assertThat(on.path("pausedFor").asString()).isEqualTo("10m");
      assertThat(on.path("stage").asString()).isEqualTo("awake");
      long cpu = cpuUsed(alice);
      Map<String, String> pids = pids();
      assertThat(pids).hasSize(2);

      // Idle a minute: paused, not stopped; its host held by the activator; its compute kept.
      Instant start = Instant.now();
      scaleToZero.pass(start);
      scaleToZero.pass(start.plusSeconds(61));
      assertThat(states()).containsOnly("paused").hasSize(2);
      JsonNode paused = bridge(alice, "GET", setting, null, 200);
      assertThat(paused.path("atZero").asBoolean()).isTrue();
      assertThat(paused.path("stage").asString()).isEqualTo("paused");
      assertThat(appEvents(alice, "Paused"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.path("message").asString())
                      .isEqualTo(
                          "Paused after 1m without requests; the next request resumes it at once."
                              + " Stopped if still idle after 10m more"));
      assertThat(cpuUsed(alice)).isEqualTo(cpu);
      // the reconciler leaves it paused
      reconciler.reconcile();
      assertThat(states()).containsOnly("paused");

      // A burst resumes it once: the same processes, no start, every request served.
      List<Reply> replies = burst(siteHost(), BURST, new ArrayList<>());
      assertThat(replies).allSatisfy(r -> assertThat(r).isEqualTo(new Reply(200, "paused\n")));
      assertThat(appEvents(alice, "Woken"))
          .singleElement()
          .satisfies(e -> assertThat(e.path("message").asString()).startsWith("Resumed by a"));
      assertThat(states()).containsOnly("running").hasSize(2);
      assertThat(pids()).isEqualTo(pids);
      assertThat(bridge(alice, "GET", setting, null, 200).path("stage").asString())
          .isEqualTo("awake");

      // Idle again, paused again; paused past its ten minutes: stopped, its compute given back.
      scaleToZero.pass(start.plusSeconds(200));
      scaleToZero.pass(start.plusSeconds(300));
      assertThat(states()).containsOnly("paused");
      scaleToZero.pass(start.plusSeconds(300 + 599));
      assertThat(states()).containsOnly("paused");
      scaleToZero.pass(start.plusSeconds(300 + 600));
      assertThat(states()).containsOnly("exited").hasSize(2);
      assertThat(bridge(alice, "GET", setting, null, 200).path("stage").asString())
          .isEqualTo("stopped");
      assertThat(appEventReasons(alice)).first().isEqualTo("ScaledToZero");
      assertThat(cpuUsed(alice)).isZero();
      // from stopped, a request starts it as before
      assertThat(request(CADDY.httpPort(), siteHost(), "X-Wake", "1"))
          .isEqualTo(new Reply(200, "paused\n"));
      assertThat(states()).containsOnly("running");
      assertThat(cpuUsed(alice)).isEqualTo(cpu);

      // A paused app is stopped and deleted like any other: a paused container is no obstacle.
      scaleToZero.pass(start.plusSeconds(1000));
      scaleToZero.pass(start.plusSeconds(1100));
      assertThat(states()).containsOnly("paused");
      bridge(alice, "POST", appPath + "/stop", null, 200);
      assertThat(containers(true)).isEmpty();
    } finally {
      forgetTenant();
    }
  }

  /** The podman state of each of the app's containers. */
  private List<String> states() {
    return containers(true).stream()
        .map(
            name ->
                PODMAN
                    .run(List.of("inspect", "--format", "{{.State.Status}}", name))
                    .stdout()
                    .strip())
        .toList();
  }

  /** The host pid of each running or paused container of the app's, by name. */
  private Map<String, String> pids() {
    Map<String, String> pids = new java.util.TreeMap<>();
    for (String name : containers(true)) {
      pids.put(
          name,
          PODMAN.run(List.of("inspect", "--format", "{{.State.Pid}}", name)).stdout().strip());
    }
    return pids;
  }

  @Test
  void anAppAtZeroHoldsNoComputeAndAWakeTheQuotaNoLongerAllowsIsRefusedAndSaidSo()
      throws Exception {
    String alice = aliceWithApp(); // project web: 1000 millicores
    String apps = "/api/v1/tenants/" + tenant + "/projects/web/apps";
    try {
      // three replicas of 250 millicores
      bridge(alice, "POST", app, deployment(TestImages.httpd("zero-q", "asleep\n"), 3, null), 201);
      assertThat(cpuUsed(alice)).isEqualTo(750);
      bridge(
          alice, "PUT", appPath + "/scale-to-zero", "{\"enabled\":true,\"idleAfter\":\"1m\"}", 200);
      Instant start = Instant.now();
      scaleToZero.pass(start);
      scaleToZero.pass(start.plusSeconds(61));
      assertThat(containers()).isEmpty();
      // at zero it holds nothing: the room goes to another app of the project
      assertThat(cpuUsed(alice)).isZero();
      tenantService(
          alice,
          "POST",
          apps,
          "{\"name\":\"other\",\"source\":\"image\",\"sourceRef\":\"x\"}",
          201);
      bridge(
          alice,
          "POST",
          apps + "/other/deployments",
          deployment(TestImages.httpd("zero-q-other", "other\n"), 2, null),
          201);
      assertThat(cpuUsed(alice)).isEqualTo(500);

      // Now it does not fit: the visitor learns it cannot start, its developers why.
      Reply refused = request(CADDY.httpPort(), siteHost(), "X-Wake", "1");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.body())
          .contains("cannot start now")
          .contains("quota")
          .doesNotContain("1000");
      assertThat(appEvents(alice, "WakeRefused"))
          .singleElement()
          .satisfies(
              event ->
                  assertThat(event.path("message").asString())
                      .contains("could not wake")
                      .contains("raise the quota or stop another app"));
      assertThat(appEvents(alice, "Woken")).isEmpty();
      assertThat(containers()).isEmpty();
      assertThat(cpuUsed(alice)).isEqualTo(500);
      // neither opting out nor scaling it runs it past the quota
      JsonNode optOut =
          bridge(alice, "PUT", appPath + "/scale-to-zero", "{\"enabled\":false}", 409);
      assertThat(optOut.path("type").asString()).endsWith("/quota-exceeded");
      JsonNode scale = bridge(alice, "POST", appPath + "/scale", "{\"replicas\":3}", 409);
      assertThat(scale.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(containers()).isEmpty();
      assertThat(cpuUsed(alice)).isEqualTo(500);

      // Room again: the next request wakes it, and it holds its compute again.
      bridge(alice, "DELETE", apps + "/other", null, 204);
      assertThat(cpuUsed(alice)).isZero();
      assertThat(request(CADDY.httpPort(), siteHost(), "X-Wake", "1"))
          .isEqualTo(new Reply(200, "asleep\n"));
      assertThat(appEvents(alice, "Woken")).hasSize(1);
      assertThat(containers()).hasSize(3);
      assertThat(cpuUsed(alice)).isEqualTo(750);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aWakeWhoseInstancesCannotStartIsSaidSoAndHoldsNothing() throws Exception {
    String alice = aliceWithApp();
    String setting = appPath + "/scale-to-zero";
    String image = TestImages.httpd("zero-gone", "gone\n");
    try {
      bridge(alice, "POST", app, deployment(image, 1, null), 201);
      bridge(alice, "PUT", setting, "{\"enabled\":true,\"idleAfter\":\"1m\"}", 200);
      Instant start = Instant.now();
      scaleToZero.pass(start);
      scaleToZero.pass(start.plusSeconds(61));
      assertThat(containers()).isEmpty();
      // its image goes, and its stopped instance with it: nothing can start it again
      PODMAN.run(List.of("rmi", "--force", image));

      Reply failed = request(CADDY.httpPort(), siteHost(), "X-Wake", "1");
      assertThat(failed)
          .isEqualTo(new Reply(503, "This app could not start. Its developers can see why.\n"));
      assertThat(appEvents(alice, "WakeFailed"))
          .singleElement()
          .satisfies(
              event ->
                  assertThat(event.path("message").asString())
                      .startsWith("A request could not wake it: its instances could not be started")
                      .endsWith("It stays at zero"));
      assertThat(appEvents(alice, "Woken")).isEmpty();
      assertThat(cpuUsed(alice)).isZero();
      assertThat(bridge(alice, "GET", setting, null, 200).path("atZero").asBoolean()).isTrue();
      // opting out cannot leave it to run unreserved: refused, still at zero
      JsonNode optOut = bridge(alice, "PUT", setting, "{\"enabled\":false}", 409);
      assertThat(optOut.path("type").asString()).endsWith("/not-woken");
      assertThat(cpuUsed(alice)).isZero();
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aForgedActivatorHeaderWakesNoOtherTenantsApp() throws Exception {
    String alice = aliceWithApp();
    String bob = user("bob");
    String other = tenant + "-b";
    String otherPath = "/api/v1/tenants/" + other + "/projects/web/apps/site";
    String otherHost = "site--web--" + other + ".apps.localhost";
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("zero-a", "alice\n"), 1, null), 201);
      tenantWithSite(bob, other);
      bridge(
          bob,
          "POST",
          otherPath + "/deployments",
          deployment(TestImages.httpd("zero-b", "bob\n"), 1, null),
          201);
      String on = "{\"enabled\":true,\"idleAfter\":\"1m\"}";
      bridge(alice, "PUT", appPath + "/scale-to-zero", on, 200);
      bridge(bob, "PUT", otherPath + "/scale-to-zero", on, 200);
      // bob cannot see, let alone change, alice's setting
      bridge(bob, "GET", appPath + "/scale-to-zero", null, 404);
      bridge(bob, "PUT", appPath + "/scale-to-zero", "{\"enabled\":false}", 404);
      Instant start = Instant.now();
      scaleToZero.pass(start);
      scaleToZero.pass(start.plusSeconds(61));
      assertThat(containers()).isEmpty();
      assertThat(
              bridge(bob, "GET", otherPath + "/scale-to-zero", null, 200)
                  .path("atZero")
                  .asBoolean())
          .isTrue();
      String aliceId = site(alice).appId();

      // Bob's request to his own host carrying alice's genuine activator header: the router
      // replaces it with his, so it wakes and reaches his app only.
      String genuine = activator.activation(aliceId).token();
      Reply bobs = request(CADDY.httpPort(), otherHost, ActivatorEndpoint.HEADER, genuine);
      assertThat(bobs).isEqualTo(new Reply(200, "bob\n"));
      // A genuine value is good for its purpose alone: a wake's never invokes, an invocation's
      // never wakes.
      assertThat(activator.verifyInvocation(genuine)).isEmpty();
      assertThat(activator.verify(activator.invocation(aliceId).token())).isEmpty();
      assertThat(activator.verify(genuine)).contains(aliceId);
      // Straight to the activator with a value the bridge did not sign, or none: 404, no wake.
      int port =
          Integer.parseInt(activator.address().substring(activator.address().indexOf(':') + 1));
      Reply forged =
          request(port, siteHost(), ActivatorEndpoint.HEADER, aliceId + "." + "A".repeat(43));
      assertThat(forged.status()).isEqualTo(404);
      assertThat(request(port, siteHost(), "X-Other", "1").status()).isEqualTo(404);
      assertThat(request(port, siteHost(), ActivatorEndpoint.HEADER, aliceId).status())
          .isEqualTo(404);

      assertThat(containers()).isEmpty();
      assertThat(appEvents(alice, "Woken")).isEmpty();
      assertThat(
              bridge(alice, "GET", appPath + "/scale-to-zero", null, 200)
                  .path("atZero")
                  .asBoolean())
          .isTrue();
      // alice's own host still wakes it
      assertThat(request(CADDY.httpPort(), siteHost(), "X-Other", "1"))
          .isEqualTo(new Reply(200, "alice\n"));
      assertThat(appEvents(alice, "Woken")).hasSize(1);
    } finally {
      try {
        bridge(bob, "DELETE", otherPath, null, 204);
      } finally {
        jdbc.sql("delete from app where tenant = ?").param(other).update();
        forgetTenant();
      }
    }
  }

  /** The compute the tenant holds now, in millicores. */
  private long cpuUsed(String token) throws Exception {
    return JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/usage", null, 200))
        .path("used")
        .path("cpuMillicores")
        .asLong();
  }

  /** {@code count} requests to the host at once, released together; each one's time to answer. */
  private static List<Reply> burst(String host, int count, List<Long> millis) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Timed>> sent = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        sent.add(
            clients.submit(
                () -> {
                  go.await();
                  long began = System.nanoTime();
                  Reply reply = request(CADDY.httpPort(), host, "X-Burst", "1");
                  return new Timed(reply, (System.nanoTime() - began) / 1_000_000);
                }));
      }
      go.countDown();
      List<Reply> replies = new ArrayList<>();
      for (Future<Timed> one : sent) {
        replies.add(one.get().reply());
        millis.add(one.get().millis());
      }
      return replies;
    }
  }

  private record Timed(Reply reply, long millis) {}

  record Reply(int status, String body) {}

  /** A GET of {@code /} on the host with one more header, waiting up to 40 s for the answer. */
  private static Reply request(int port, String host, String header, String value)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(40_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: "
                  + host
                  + "\r\n"
                  + header
                  + ": "
                  + value
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 ") || end < 0) {
        throw new IOException("not an HTTP answer: " + response);
      }
      String head = response.substring(0, end);
      String body = response.substring(end + 4);
      if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Reply(Integer.parseInt(response.substring(9, 12)), body);
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int line = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, line).strip(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, line + 2, line + 2 + size);
      at = line + 2 + size + 2;
    }
  }
}
