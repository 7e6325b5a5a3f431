package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.runtime.router.HostRequest.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Functions (issue 22) through the real Caddy, podman and the bridge's invoker, with a test
 * function image whose runtime speaks the contract ({@link TestImages#function}): a request to the
 * app's host is the handler's event and its result the response, with an activation id; each
 * invocation is an activation with its status, duration, result size and logs; a handler's error is
 * 502, a timeout 504 with the instance restarted and the next call served; 20 requests at once are
 * all served one at a time per instance; a function at zero wakes on its first request; another
 * tenant finds nothing; retention keeps a tenant's newest only.
 */
class FunctionApiIT extends ApiFixture {

  private static final String ID = "ac[a-z2-7]{26}";

  @Autowired ScaleToZero scaleToZero;
  @Autowired ActivationStore activationStore;
  @Autowired ActivationRetention retention;

  @Test
  void aFunctionAnswersThroughTheRouterAndEachInvocationIsAnActivation() throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.function(), 1, null), 201);
      String setting = appPath + "/function";
      JsonNode view = bridge(alice, "GET", setting, null, 200);
      assertThat(view.path("timeoutSeconds").asInt()).isEqualTo(60);
      assertThat(view.path("runtime").asString()).isEqualTo("test");
      JsonNode bad = bridge(alice, "PUT", setting, "{\"timeoutSeconds\":301}", 400);
      assertThat(bad.path("type").asString()).endsWith("/invalid-function-setting");
      assertThat(bad.path("detail").asString())
          .isEqualTo("timeoutSeconds must be from 1 to 300, not 301");
      assertThat(
              bridge(alice, "PUT", setting, "{\"timeoutSeconds\":2}", 200)
                  .path("timeoutSeconds")
                  .asInt())
          .isEqualTo(2);

      // The request is the event: a client's activator header never reaches the handler.
      Reply hello =
          send(
              "GET",
              "/hello?a=1&b=two%20words",
              Map.of("X-Slipway-Activate", "forged.value", "X-Trace", "t-1"),
              null);
      assertThat(hello.status()).as(hello.body()).isEqualTo(200);
      assertThat(hello.header("content-type")).isEqualTo("application/json");
      String helloId = hello.header("slipway-activation-id");
      assertThat(helloId).matches(ID);
      JsonNode event = json(hello);
      assertThat(event.path("trigger").asString()).isEqualTo("http");
      assertThat(event.path("method").asString()).isEqualTo("GET");
      assertThat(event.path("path").asString()).isEqualTo("/hello");
      assertThat(event.path("query").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"two words\"}");
      assertThat(event.path("headers").path("x-trace").asString()).isEqualTo("t-1");
      assertThat(event.path("headers").path("host").asString()).isEqualTo(siteHost());
      assertThat(event.path("headers").has("x-slipway-activate")).isFalse();
      assertThat(event.has("body")).isFalse();

      Reply posted =
          send("POST", "/orders", Map.of("Content-Type", "application/json"), "{\"n\":1}");
      assertThat(posted.status()).as(posted.body()).isEqualTo(200);
      assertThat(json(posted).path("body").toString()).isEqualTo("{\"n\":1}");

      // Hostile input is refused at the edge, before any instance sees it.
      Reply notJson =
          send("POST", "/orders", Map.of("Content-Type", "application/json"), "{\"n\":");
      assertThat(notJson.status()).as(notJson.body()).isEqualTo(400);
      assertThat(json(notJson).path("type").asString()).endsWith("/invalid-function-request");
      Reply huge = send("POST", "/orders", Map.of(), "x".repeat(Invoker.MAX_BODY + 1));
      assertThat(huge.status()).as(huge.body()).isEqualTo(413);
      assertThat(json(huge).path("type").asString()).endsWith("/body-too-large");

      Reply web = send("POST", "/web", Map.of(), "plain text");
      assertThat(web.status()).as(web.body()).isEqualTo(201);
      assertThat(web.header("x-fn")).isEqualTo("yes");
      assertThat(web.body()).isEqualTo("made");

      Reply failed = send("GET", "/error", Map.of(), null);
      assertThat(failed.status()).as(failed.body()).isEqualTo(502);
      assertThat(failed.header("content-type")).isEqualTo("application/problem+json");
      assertThat(json(failed).path("type").asString()).endsWith("/function-failed");
      assertThat(json(failed).path("detail").asString())
          .isEqualTo("The function failed: Error: boom");
      String failedId = failed.header("slipway-activation-id");
      assertThat(failedId).matches(ID);

      Reply logged = send("GET", "/logs", Map.of(), null);
      assertThat(logged.status()).as(logged.body()).isEqualTo(200);
      String loggedId = logged.header("slipway-activation-id");

      // Each invocation is an activation, newest first, without logs in the list.
      String activations = appPath + "/activations";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> bridge(alice, "GET", activations, null, 200).path("activations").size() == 5);
      JsonNode list = bridge(alice, "GET", activations, null, 200).path("activations");
      assertThat(list.findValuesAsString("id"))
          .containsExactly(
              loggedId,
              failedId,
              web.header("slipway-activation-id"),
              posted.header("slipway-activation-id"),
              helloId);
      assertThat(list.findValuesAsString("status"))
          .containsExactly("success", "error", "success", "success", "success");
      assertThat(list.findValuesAsString("trigger")).containsOnly("http");
      assertThat(list.get(1).path("httpStatus").asInt()).isEqualTo(502);
      assertThat(list.get(2).path("httpStatus").asInt()).isEqualTo(201);
      assertThat(list.get(0).has("logs") && !list.get(0).path("logs").isNull()).isFalse();
      JsonNode one = bridge(alice, "GET", activations + "/" + helloId, null, 200);
      assertThat(one.path("status").asString()).isEqualTo("success");
      assertThat(one.path("resultBytes").asLong()).isEqualTo(hello.body().length());
      assertThat(one.path("durationMs").asLong()).isGreaterThanOrEqualTo(0);
      assertThat(one.path("logs").asString()).isEqualTo("handling /hello\n");
      JsonNode error = bridge(alice, "GET", activations + "/" + failedId, null, 200);
      assertThat(error.path("error").asString()).isEqualTo("Error: boom");
      assertThat(error.path("logs").asString())
          .isEqualTo("handling /error\nError: boom\n    at main (handler.js:2)\n");
      // 3,001 lines: the first thousand kept, then what was cut
      List<String> lines =
          bridge(alice, "GET", activations + "/" + loggedId, null, 200)
              .path("logs")
              .asString()
              .lines()
              .toList();
      assertThat(lines).hasSize(1001);
      assertThat(lines.getLast()).isEqualTo("… 2001 more lines not kept");
      // pages
      JsonNode first = bridge(alice, "GET", activations + "?limit=2", null, 200);
      assertThat(first.path("activations").findValuesAsString("id"))
          .containsExactly(loggedId, failedId);
      JsonNode rest =
          bridge(
              alice,
              "GET",
              activations + "?limit=50&before=" + first.path("next").asString(),
              null,
              200);
      assertThat(rest.path("activations").size()).isEqualTo(3);
      assertThat(rest.path("next").isNull()).isTrue();

      // A timeout: 504 naming the limit, recorded, the instance restarted, the next call served.
      Reply late = send("GET", "/sleep", Map.of(), null);
      assertThat(late.status()).as(late.body()).isEqualTo(504);
      assertThat(json(late).path("type").asString()).endsWith("/function-timeout");
      assertThat(json(late).path("detail").asString()).contains("time limit of 2 s");
      String lateId = late.header("slipway-activation-id");
      Reply after = send("GET", "/after-timeout", Map.of(), null);
      assertThat(after.status()).as(after.body()).isEqualTo(200);
      assertThat(json(after).path("path").asString()).isEqualTo("/after-timeout");
      assertThat(appEventReasons(alice)).contains(FunctionInstances.RESTARTED);
      // a runtime that never answers: timed out by the invoker after the limit and its grace
      Reply silent = send("GET", "/hang", Map.of(), null);
      assertThat(silent.status()).as(silent.body()).isEqualTo(504);
      assertThat(send("GET", "/after-hang", Map.of(), null).status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  bridge(alice, "GET", activations + "?limit=200", null, 200)
                      .path("activations")
                      .findValuesAsString("id")
                      .contains(silent.header("slipway-activation-id")));
      JsonNode timedOut = bridge(alice, "GET", activations + "/" + lateId, null, 200);
      assertThat(timedOut.path("status").asString()).isEqualTo("timeout");
      assertThat(timedOut.path("httpStatus").asInt()).isEqualTo(504);
      assertThat(
              bridge(
                      alice,
                      "GET",
                      activations + "/" + silent.header("slipway-activation-id"),
                      null,
                      200)
                  .path("status")
                  .asString())
          .isEqualTo("timeout");

      // 20 at once: one instance, one invocation at a time (its runtime answers busy otherwise).
      List<Reply> burst = burst(20, "/slow");
      assertThat(burst.stream().filter(r -> r.status() != 200).map(Reply::body)).isEmpty();
      assertThat(burst)
          .extracting(r -> r.header("slipway-activation-id"))
          .doesNotHaveDuplicates()
          .allMatch(id -> id.matches(ID));

      // Another tenant finds neither the app nor its activations; a viewer reads them.
      String mallory = user("mallory");
      bridge(mallory, "GET", activations, null, 404);
      bridge(mallory, "GET", activations + "/" + helloId, null, 404);
      bridge(mallory, "GET", setting, null, 404);
      bridge(mallory, "PUT", setting, "{\"timeoutSeconds\":1}", 404);
      String malloryTenant = tenant + "-m";
      tenantWithSite(mallory, malloryTenant);
      String malloryApp = "/api/v1/tenants/" + malloryTenant + "/projects/web/apps/site";
      bridge(mallory, "GET", malloryApp + "/activations/" + helloId, null, 404);
      assertThat(
              bridge(mallory, "GET", malloryApp + "/activations?before=" + helloId, null, 200)
                  .path("activations")
                  .size())
          .isZero();
      // an activation of another app of the same tenant, under this app's path
      tenantService(
          alice,
          "POST",
          "/api/v1/tenants/" + tenant + "/projects/web/apps",
          "{\"name\":\"other\",\"source\":\"image\",\"sourceRef\":\"x\"}",
          201);
      String otherApp = "/api/v1/tenants/" + tenant + "/projects/web/apps/other";
      bridge(alice, "GET", otherApp + "/activations/" + helloId, null, 404);
      String victor = viewer(alice);
      assertThat(
              bridge(victor, "GET", activations + "/" + helloId, null, 200).path("id").asString())
          .isEqualTo(helloId);
      bridge(victor, "PUT", setting, "{\"timeoutSeconds\":1}", 403);

      // Retention: a tiny cap keeps the tenant's newest; an age limit keeps none older.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> activationStore.count(site(alice).tenantId()) == 29);
      AppRef ref = site(alice);
      List<String> newest =
          bridge(alice, "GET", activations + "?limit=3", null, 200)
              .path("activations")
              .findValuesAsString("id");
      activationStore.pruneBeyond(ref.tenantId(), 3);
      assertThat(activationStore.count(ref.tenantId())).isEqualTo(3);
      assertThat(
              bridge(alice, "GET", activations, null, 200)
                  .path("activations")
                  .findValuesAsString("id"))
          .containsExactlyElementsOf(newest);
      activationStore.pruneOld(Instant.now().plusSeconds(60));
      assertThat(activationStore.count(ref.tenantId())).isZero();
      assertThat(retention.prune()).isZero();
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aFunctionAtZeroWakesOnItsFirstRequestAndIsInvoked() throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.function(), 1, null), 201);
      bridge(
          alice, "PUT", appPath + "/scale-to-zero", "{\"enabled\":true,\"idleAfter\":\"1m\"}", 200);
      Instant start = Instant.now();
      scaleToZero.pass(start);
      scaleToZero.pass(start.plusSeconds(61));
      assertThat(containers()).isEmpty();

      Reply woken = send("GET", "/first", Map.of(), null);
      assertThat(woken.status()).as(woken.body()).isEqualTo(200);
      assertThat(json(woken).path("path").asString()).isEqualTo("/first");
      assertThat(woken.header("slipway-activation-id")).matches(ID);
      assertThat(containers()).hasSize(1);
      assertThat(appEventReasons(alice)).contains("ScaledToZero", "Woken");
      // awake, its host still goes through the invoker
      Reply next = send("GET", "/second", Map.of(), null);
      assertThat(next.status()).as(next.body()).isEqualTo(200);
      assertThat(next.header("slipway-activation-id")).matches(ID);
    } finally {
      forgetTenant();
    }
  }

  /** {@code n} requests for {@code path} at once, through the router. */
  private List<Reply> burst(int n, String path) throws Exception {
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Reply>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add(
            threads.submit(
                () -> {
                  go.await();
                  return send("GET", path, Map.of(), null);
                }));
      }
      go.countDown();
      List<Reply> replies = new ArrayList<>();
      for (Future<Reply> reply : sent) {
        replies.add(reply.get());
      }
      return replies;
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * One HTTP/1.0 request to the app's host through the router (the JDK's clients will not set
   * {@code Host}), so the answer ends where the connection does.
   */
  private Reply send(String method, String target, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", CADDY.httpPort()), 2000);
      socket.setSoTimeout(60_000);
      StringBuilder head =
          new StringBuilder(method + " " + target + " HTTP/1.0\r\nHost: " + siteHost() + "\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(bytes.length).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      return HostRequest.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static JsonNode json(Reply reply) {
    return JSON.readTree(reply.body());
  }
}
