package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.tenant.TenantApi;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * One-off runs (issue 27), with real podman: a developer runs a command in a fresh container of the
 * live revision and gets its exit code and output; one that overruns is killed and recorded as
 * timed out; it holds one instance of quota while it runs and nothing afterwards; it is audited,
 * listed newest first, closed to viewers and invisible to other tenants; its output streams live
 * while it runs and once it ended; and what a bridge that stopped mid-run leaves (its container,
 * its reservation) is cleaned up by the reconciler.
 */
class OneOffRunsApiIT extends ApiFixture {

  @Autowired RunStore runStore;

  @Test
  void runsACommandInTheLiveRevisionRecordsItAndReleasesItsQuota() throws Exception {
    String alice = aliceWithApp();
    String runs = appPath + "/runs";
    try {
      JsonNode undeployed = bridge(alice, "POST", runs, "{\"command\":\"true\"}", 409);
      assertThat(undeployed.path("type").asString()).endsWith("/not-deployed");
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          "{\"image\":\""
              + image()
              + "\",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32,"
              + "\"env\":{\"GREETING\":\"hello\"}}",
          201);
      long before = usedCpu(alice);
      assertThat(before).isEqualTo(250);

      JsonNode ran =
          bridge(
              alice,
              "POST",
              runs,
              "{\"command\":\"echo hi; echo greeting $GREETING >&2; exit 3\"}",
              201);
      assertThat(ran.path("exitCode").asInt()).as(ran.toString()).isEqualTo(3);
      assertThat(ran.path("timedOut").asBoolean()).isFalse();
      assertThat(ran.path("output").asString()).isEqualTo("hi\ngreeting hello");
      assertThat(ran.path("runBy").asString()).isEqualTo("alice-" + suffix);
      assertThat(ran.path("revision").asInt()).isEqualTo(1);
      assertThat(ran.path("durationMs").asLong()).isNotNegative();
      assertThat(usedCpu(alice)).isEqualTo(before);
      assertThat(containers(true)).hasSize(1).noneMatch(n -> n.contains("-run-"));

      // Overruns the test's run-timeout (8 s): killed, recorded as timed out, nothing left.
      JsonNode overran =
          bridge(
              alice,
              "POST",
              runs,
              "{\"command\":\"echo started; exec /bin/busybox sleep 600\"}",
              201);
      assertThat(overran.path("timedOut").asBoolean()).as(overran.toString()).isTrue();
      assertThat(overran.path("exitCode").isNull()).isTrue();
      assertThat(overran.path("output").asString()).isEqualTo("started");
      // killed by the run-timeout, not before it
      assertThat(overran.path("durationMs").asLong()).isGreaterThanOrEqualTo(8_000L);
      assertThat(usedCpu(alice)).isEqualTo(before);
      assertThat(containers(true)).hasSize(1).noneMatch(n -> n.contains("-run-"));

      JsonNode listed = bridge(alice, "GET", runs, null, 200);
      assertThat(listed.path("total").asLong()).isEqualTo(2);
      assertThat(listed.path("items").findValuesAsString("id"))
          .containsExactly(overran.path("id").asString(), ran.path("id").asString());
      JsonNode one = bridge(alice, "GET", runs + "/" + ran.path("id").asString(), null, 200);
      assertThat(one.path("command").asString())
          .isEqualTo("echo hi; echo greeting $GREETING >&2; exit 3");
      assertThat(bridge(alice, "GET", runs + "?size=1&page=1", null, 200).path("items")).hasSize(1);
      bridge(alice, "GET", runs + "?size=1000", null, 400);
      bridge(alice, "POST", runs, "{\"command\":\"\"}", 400);
      bridge(alice, "POST", runs, "{\"command\":\"a\\u0000b\"}", 400);
      bridge(alice, "POST", runs, "{\"command\":\"" + "x".repeat(4097) + "\"}", 400);

      // A viewer reads the runs but runs nothing; another tenant sees neither app nor run.
      String viewer = viewer(alice);
      bridge(viewer, "GET", runs, null, 200);
      bridge(viewer, "POST", runs, "{\"command\":\"true\"}", 403);
      String mallory = user("mallory");
      bridge(mallory, "POST", runs, "{\"command\":\"true\"}", 404);
      bridge(mallory, "GET", runs + "/" + ran.path("id").asString(), null, 404);
      bridge(alice, "GET", runs + "/nosuchrun", null, 404);

      List<JsonNode> audited = new ArrayList<>();
      JSON.readTree(
              tenantService(
                  alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
          .path("items")
          .forEach(audited::add);
      assertThat(audited)
          .filteredOn(e -> e.path("action").asString().equals("app.run"))
          .extracting(e -> e.path("after").path("command").asString())
          .containsExactlyInAnyOrder(
              "echo hi; echo greeting $GREETING >&2; exit 3",
              "echo started; exec /bin/busybox sleep 600");

      // One more instance does not fit a project with room for the one running: refused.
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/projects/web/quota",
          "{\"cpuMillicores\":250}",
          200);
      JsonNode refused = bridge(alice, "POST", runs, "{\"command\":\"true\"}", 409);
      assertThat(refused.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(bridge(alice, "GET", runs, null, 200).path("total").asLong()).isEqualTo(2);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aRunAskedToRespondAsyncIsAnsweredOnceStartedAndReadUntilItEnds() throws Exception {
    String alice = aliceWithApp();
    String runs = appPath + "/runs";
    try {
      deployRunsImage(alice);
      HttpResponse<String> accepted = startRun(alice, "/bin/busybox sleep 2; echo slept; exit 4");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      JsonNode started = JSON.readTree(accepted.body());
      String id = started.path("id").asString();
      assertThat(started.path("finishedAt").isNull()).isTrue();
      assertThat(started.path("exitCode").isNull()).isTrue();
      assertThat(accepted.headers().firstValue("Location").orElseThrow()).endsWith(runs + "/" + id);
      // it holds its instance while it runs, and gives it back once it ended
      assertThat(usedCpu(alice)).isEqualTo(500);

      JsonNode ended =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> bridge(alice, "GET", runs + "/" + id, null, 200),
                  run -> !run.path("finishedAt").isNull());
      assertThat(ended.path("exitCode").asInt()).as(ended.toString()).isEqualTo(4);
      assertThat(ended.path("output").asString()).isEqualTo("slept");
      assertThat(usedCpu(alice)).isEqualTo(250);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aRunsOutputStreamsWhileItRunsThenItsEndAndAgainOnceEnded() throws Exception {
    String alice = aliceWithApp();
    String runs = appPath + "/runs";
    try {
      deployRunsImage(alice);
      HttpResponse<String> accepted =
          startRun(alice, "echo first; /bin/busybox sleep 4; echo second >&2; exit 5");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String id = JSON.readTree(accepted.body()).path("id").asString();
      String output = runs + "/" + id + "/output";
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> reading =
          http.sendAsync(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + output))
                      .header("Authorization", "Bearer " + alice)
                      .header("Accept", "text/event-stream")
                      .build(),
                  HttpResponse.BodyHandlers.ofLines())
              .thenAccept(response -> response.body().forEach(lines::add));

      // The first line arrives while the command still sleeps.
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("data:first"));
      assertThat(lines).contains("event:log").doesNotContain("data:second", "event:end");
      assertThat(bridge(alice, "GET", runs + "/" + id, null, 200).path("finishedAt").isNull())
          .isTrue();

      reading.get(60, TimeUnit.SECONDS);
      assertThat(lines)
          .containsSubsequence("event:log", "data:first", "event:log", "data:second", "event:end");
      JsonNode end = endOf(lines);
      assertThat(end.path("id").asString()).isEqualTo(id);
      assertThat(end.path("exitCode").asInt()).as(end.toString()).isEqualTo(5);
      assertThat(end.path("timedOut").asBoolean()).isFalse();
      assertThat(end.path("finishedAt").isNull()).isFalse();
      assertThat(end.path("durationMs").asLong()).isGreaterThanOrEqualTo(4_000L);

      // Once ended (its container gone), the stream is the output the run kept, then its end;
      // a viewer may follow it, another tenant finds neither the app nor the run.
      String viewer = viewer(alice);
      List<String> again =
          call("http://127.0.0.1:" + port, viewer, "GET", output, null, 200).lines().toList();
      assertThat(again)
          .containsSubsequence("event:log", "data:first", "event:log", "data:second", "event:end");
      assertThat(endOf(again).path("exitCode").asInt()).isEqualTo(5);
      String mallory = user("mallory");
      call("http://127.0.0.1:" + port, mallory, "GET", output, null, 404);
      call("http://127.0.0.1:" + port, alice, "GET", runs + "/nosuchrun/output", null, 404);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void theReconcilerCleansUpARunWhoseBridgeStopped() throws Exception {
    String alice = aliceWithApp();
    try {
      deployRunsImage(alice);
      AppRef ref = site(alice);
      AppSpec spec = store.live(ref).orElseThrow().spec();
      // What a bridge that died mid-run left: its reservation, its open row, its container.
      String id = "abcdefgh2345";
      String key = "rt:" + ref.appId() + ":run:" + id;
      tenants.reserve(ref, key, new TenantApi.Compute(250, 32, 1));
      Instant past = Instant.now().minusSeconds(120);
      runStore.started(
          id, ref.appId(), tenant, 1, "sleep 600", "alice", past, past.plusSeconds(60), key, null);
      Map<String, Object> body =
          ((PodmanDriver) driver)
              .requests()
              .createRun(spec, id, "exec /bin/busybox sleep 600", past.getEpochSecond(), 600);
      TestImages.API.require("POST", "/containers/create", body);
      TestImages.API.require("POST", "/containers/" + body.get("name") + "/start", null);
      assertThat(containers()).hasSize(2).anyMatch(n -> n.endsWith("-run-" + id));
      assertThat(usedCpu(alice)).isEqualTo(500);
      // a run's container is no instance of the app: it neither shows nor is restarted as one
      assertThat(bridge(alice, "GET", appPath + "/deployments", null, 200).toString())
          .doesNotContain("-run-");

      reconciler.reconcile();

      assertThat(containers(true)).hasSize(1).noneMatch(n -> n.contains("-run-"));
      assertThat(usedCpu(alice)).isEqualTo(250);
      JsonNode closed = bridge(alice, "GET", appPath + "/runs/" + id, null, 200);
      assertThat(closed.path("output").asString())
          .isEqualTo("the bridge stopped while the command ran");
      assertThat(closed.path("finishedAt").isNull()).isFalse();
    } finally {
      forgetTenant();
    }
  }

  /** Starts {@code command} asking for the answer once it started ({@code respond-async}). */
  private HttpResponse<String> startRun(String token, String command) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + appPath + "/runs"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Prefer", "respond-async")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(Map.of("command", command))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The run an output stream's {@code end} event carries. */
  private static JsonNode endOf(List<String> lines) {
    int end = lines.indexOf("event:end");
    assertThat(end).as(lines.toString()).isNotNegative();
    return JSON.readTree(lines.get(end + 1).substring("data:".length()));
  }

  /** Deploys {@link #image()} with one instance of 250 millicores. */
  private void deployRunsImage(String token) throws Exception {
    bridge(
        token,
        "POST",
        appPath + "/deployments",
        "{\"image\":\"" + image() + "\",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32}",
        201);
  }

  /** An httpd with a shell, as an app's image has one. */
  private static String image() {
    return TestImages.dockerfile(
        "runs",
        "",
        "COPY busybox /bin/sh\n"
            + "CMD [\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
  }

  private long usedCpu(String token) throws Exception {
    return JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200))
        .path("used")
        .path("cpuMillicores")
        .asLong();
  }
}
