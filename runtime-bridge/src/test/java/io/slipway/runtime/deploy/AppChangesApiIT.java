package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scale, stop, start and restart are accepted (202 with a {@code Location} to poll) and carried out
 * by the reconciler under the app's lease; a recorded change survives the bridge dying before it
 * was applied; a revision accepted while an older one waits supersedes it.
 */
class AppChangesApiIT extends ApiFixture {

  private static final Duration CONVERGED = Duration.ofSeconds(60);

  @Test
  void scaleStopStartAndRestartAreAcceptedThenConverge() throws Exception {
    String alice = aliceWithApp();
    String mallory = user("mallory");
    String host = siteHost();
    String one = TestImages.httpd("api-one", "one\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);

      // Scale: 202 with the change to poll, applied by the reconciler.
      HttpResponse<String> scaled = unwaited(alice, "/scale", "{\"replicas\":2}");
      assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(202);
      String change = location(scaled);
      assertThat(change).endsWith(appPath + "/changes/1");
      awaitApplied(alice, change);
      assertThat(containers()).hasSize(2);
      assertThat(usedMillicores(alice)).isEqualTo(500);
      // another tenant's user sees no change and can make none
      bridge(mallory, "GET", change, null, 404);
      bridge(mallory, "GET", appPath + "/changes/2", null, 404);
      bridge(mallory, "POST", appPath + "/scale", "{\"replicas\":1}", 404);
      bridge(mallory, "POST", appPath + "/stop", null, 404);
      bridge(mallory, "POST", appPath + "/start", null, 404);
      bridge(mallory, "POST", appPath + "/restart", null, 404);
      // a change that was never made is not found either
      bridge(alice, "GET", appPath + "/changes/2", null, 404);

      // Beyond the quota: refused at once, with or without a wait, and nothing recorded.
      HttpResponse<String> refused = unwaited(alice, "/scale", "{\"replicas\":5}");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
      assertThat(JSON.readTree(refused.body()).path("type").asString()).endsWith("/quota-exceeded");
      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":5}", 409);
      bridge(alice, "GET", appPath + "/changes/2", null, 404);
      assertThat(containers()).hasSize(2);

      // Stop and start, each polled to its end.
      HttpResponse<String> stopped = unwaited(alice, "/stop", null);
      assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(202);
      assertThat(location(stopped)).endsWith(appPath + "/changes/2");
      awaitApplied(alice, location(stopped));
      assertThat(containers()).isEmpty();
      assertThat(usedMillicores(alice)).isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(503);
      HttpResponse<String> started = unwaited(alice, "/start", null);
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      assertThat(location(started)).endsWith(appPath + "/changes/3");
      awaitApplied(alice, location(started));
      assertThat(containers()).hasSize(2);
      assertThat(usedMillicores(alice)).isEqualTo(500);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");

      // Restart: a revision to poll.
      HttpResponse<String> restarted = unwaited(alice, "/restart", null);
      assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(202);
      assertThat(location(restarted)).endsWith(appPath + "/deployments/2");
      await()
          .atMost(CONVERGED)
          .until(
              () ->
                  bridge(alice, "GET", location(restarted), null, 200)
                      .path("status")
                      .asString()
                      .equals("live"));
      bridge(mallory, "GET", location(restarted), null, 404);
      assertThat(containers()).hasSize(2).allMatch(name -> name.contains("-v2-"));

      // With Prefer: wait, answered once converged, as before.
      JsonNode down = bridge(alice, "POST", appPath + "/scale", "{\"replicas\":1}", 200);
      assertThat(down.path("replicas").asInt()).isEqualTo(1);
      assertThat(containers()).hasSize(1);
      assertThat(bridge(alice, "GET", appPath + "/changes/4", null, 200).path("status").asString())
          .isEqualTo("applied");
      assertThat(bridge(alice, "POST", appPath + "/stop", null, 200).path("stopped").asBoolean())
          .isTrue();
      assertThat(containers()).isEmpty();
      // stopping a stopped app accepts nothing: answered at once
      bridge(alice, "POST", appPath + "/stop", null, 200);
      assertThat(bridge(alice, "POST", appPath + "/start", null, 200).path("stopped").asBoolean())
          .isFalse();
      assertThat(containers()).hasSize(1);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
      List<String> reasons =
          bridge(alice, "GET", appPath + "/events", null, 200)
              .path("items")
              .findValuesAsString("reason");
      assertThat(reasons).startsWith("Started", "Stopped", "Scaled", "Restarted");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A scale, a stop and a start, each recorded by a bridge that died before applying it (the API
   * records a change, the reconciler applies it): a new bridge's reconciler applies it.
   */
  @Test
  void aChangeRecordedByABridgeThatDiedIsAppliedAfterRestart() throws Exception {
    String alice = aliceWithApp();
    String one = TestImages.httpd("api-one", "one\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
      AppRef ref = site(alice);
      // what the dying bridge did: recorded the scale (and reserved), never applied it
      deployments.scale(ref, "web", 3, null);
      assertThat(containers()).hasSize(1);
      assertThat(bridge(alice, "GET", appPath + "/changes/1", null, 200).path("status").asString())
          .isEqualTo("pending");

      restartedReconciler().reconcile();

      assertThat(containers()).hasSize(3);
      assertThat(bridge(alice, "GET", appPath + "/changes/1", null, 200).path("status").asString())
          .isEqualTo("applied");
      assertThat(usedMillicores(alice)).isEqualTo(750);

      // the same for a stop
      lifecycle.stop(ref, null);
      assertThat(containers()).hasSize(3);
      restartedReconciler().reconcile();
      assertThat(containers()).isEmpty();
      assertThat(usedMillicores(alice)).isZero();
      assertThat(bridge(alice, "GET", appPath + "/changes/2", null, 200).path("status").asString())
          .isEqualTo("applied");

      // and for a start: reserved when recorded, run by the next bridge
      lifecycle.start(ref, null);
      assertThat(containers()).isEmpty();
      assertThat(usedMillicores(alice)).isEqualTo(750);
      restartedReconciler().reconcile();
      assertThat(containers()).hasSize(3);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("one\n");
      assertThat(bridge(alice, "GET", appPath + "/changes/3", null, 200).path("status").asString())
          .isEqualTo("applied");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A start whose instances cannot come up (its image was deleted while the app was stopped) is a
   * failed change: 409 {@code unhealthy} to a caller who waited, the change says why, and the app
   * is stopped again holding nothing.
   */
  @Test
  void aStartThatCannotComeUpLeavesTheAppStoppedHoldingNothing() throws Exception {
    String alice = aliceWithApp();
    // an image of its own (its own content, so its own id) that can be deleted
    String doomed = TestImages.httpd("doomed-start-" + tenant, "doomed " + tenant + "\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(doomed, 1, null), 201);
      bridge(alice, "POST", appPath + "/stop", null, 200);
      PODMAN.run(List.of("rmi", "-f", doomed));

      JsonNode refused = bridge(alice, "POST", appPath + "/start", null, 409);
      assertThat(refused.path("type").asString()).endsWith("/unhealthy");
      JsonNode change = bridge(alice, "GET", appPath + "/changes/2", null, 200);
      assertThat(change.path("status").asString()).isEqualTo("failed");
      assertThat(change.path("reason").asString()).isEqualTo(refused.path("detail").asString());
      assertThat(
              bridge(alice, "GET", appPath + "/deployments", null, 200).path("stopped").asBoolean())
          .isTrue();
      assertThat(containers(true)).isEmpty();
      assertThat(usedMillicores(alice)).isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").status()).isEqualTo(503);
    } finally {
      forgetTenant();
    }
  }

  /**
   * A revision accepted while an older one still waits for its rollout supersedes it: the older one
   * never runs, says why, and its reservation is released.
   */
  @Test
  void aNewerRevisionSupersedesAPendingOne() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String one = TestImages.httpd("api-one", "one\n");
    String two = TestImages.httpd("api-two", "two\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
      AppRef ref = site(alice);
      // accepted (and reserved) but not rolled out: nobody woke the reconciler for it
      deployments.deploy(ref, JSON.readValue(deployment(one, 1, null), DeployRequest.class), null);
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("pending");
      assertThat(usedMillicores(alice)).isEqualTo(500);

      JsonNode third =
          bridge(alice, "POST", appPath + "/deployments", deployment(two, 1, null), 201);
      assertThat(third.path("revision").asInt()).isEqualTo(3);
      assertThat(third.path("status").asString()).isEqualTo("live");

      JsonNode second = bridge(alice, "GET", appPath + "/deployments/2", null, 200);
      assertThat(second.path("status").asString()).isEqualTo("superseded");
      assertThat(second.path("reason").asString()).isEqualTo("superseded by revision 3");
      reconciler.reconcile();
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("superseded");
      assertThat(containers()).hasSize(1).allMatch(name -> name.contains("-v3-"));
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("two\n");
      assertThat(usedMillicores(alice)).isEqualTo(250);
      assertThat(
              bridge(alice, "GET", appPath + "/events", null, 200)
                  .path("items")
                  .findValuesAsString("message"))
          .contains("Revision 2 was superseded by revision 3 before it rolled out");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A restart asked while a deploy waits for its rollout is that deploy: its rollout replaces every
   * instance, and a restart of the live spec would supersede it (the new image would never run).
   */
  @Test
  void aRestartWhileADeployWaitsIsThatDeploy() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String one = TestImages.httpd("restart-one", "one\n");
    String two = TestImages.httpd("restart-two", "two\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
      AppRef ref = site(alice);
      // accepted but not rolled out: nobody woke the reconciler for it
      deployments.deploy(ref, JSON.readValue(deployment(two, 1, null), DeployRequest.class), null);
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("pending");

      JsonNode restarted = bridge(alice, "POST", appPath + "/restart", null, 200);
      assertThat(restarted.path("liveRevision").asInt()).isEqualTo(2);
      assertThat(store.revision(ref, 3)).isEmpty();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("two\n");
      assertThat(containers()).hasSize(1).allMatch(name -> name.contains("-v2-"));
    } finally {
      forgetTenant();
    }
  }

  /**
   * A scale accepted while a deploy waits for its rollout is not lost: the waiting revision rolls
   * out with the formation the app runs when its rollout starts, not the one it was accepted with.
   */
  @Test
  void aScaleWhileADeployWaitsIsTheDeploysFormation() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String one = TestImages.httpd("formation-one", "one\n");
    String two = TestImages.httpd("formation-two", "two\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
      AppRef ref = site(alice);
      // accepted with one replica but not rolled out: nobody woke the reconciler for it
      deployments.deploy(ref, JSON.readValue(deployment(two, 1, null), DeployRequest.class), null);
      // scaled while it waits, recorded but not applied either
      deployments.scale(ref, "web", 2, null);
      assertThat(store.revision(ref, 2).orElseThrow().spec().replicas()).isEqualTo(1);

      reconciler.reconcile();

      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("live");
      assertThat(store.revision(ref, 2).orElseThrow().spec().replicas()).isEqualTo(2);
      assertThat(containers()).hasSize(2).allMatch(name -> name.contains("-v2-"));
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("two\n");
      assertThat(bridge(alice, "GET", appPath + "/changes/1", null, 200).path("status").asString())
          .isEqualTo("applied");
      // what runs is held, once: revision 1's reservations went with it
      assertThat(usedMillicores(alice)).isEqualTo(500);
    } finally {
      forgetTenant();
    }
  }

  /**
   * A start of a stopped app whose configuration changed while a deploy waits is made from that
   * deploy: the pushed image runs, with the new configuration, and nothing of it is lost.
   */
  @Test
  void aStartWithNewConfigurationWhileADeployWaitsRunsThePushedImage() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.envPage("start-one"), 1, null),
          201);
      bridge(alice, "POST", appPath + "/stop", null, 200);
      AppRef ref = site(alice);
      // pushed while stopped, accepted but not rolled out: nobody woke the reconciler for it
      deployments.deploy(
          ref,
          JSON.readValue(deployment(TestImages.envPage("start-two"), 1, null), DeployRequest.class),
          null);
      // stored while stopped: the start rolls it out
      bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"again\"}}", 200);

      JsonNode started = bridge(alice, "POST", appPath + "/start", null, 200);

      assertThat(started.path("liveRevision").asInt()).isEqualTo(3);
      assertThat(store.revision(ref, 3).orElseThrow().spec().image())
          .isEqualTo(TestImages.envPage("start-two"));
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("start-two again\n");
      // the pushed revision is carried by the start's, not lost to it
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("superseded");
    } finally {
      forgetTenant();
    }
  }

  /** A POST to the app without {@code Prefer: wait}: answered when accepted. */
  private HttpResponse<String> unwaited(String token, String action, String body) throws Exception {
    return unwaited("http://127.0.0.1:" + port, token, action, body);
  }

  /** The path of the answer's {@code Location}. */
  private static String location(HttpResponse<String> response) {
    return URI.create(response.headers().firstValue("Location").orElseThrow()).getPath();
  }

  private void awaitApplied(String token, String change) {
    await()
        .atMost(CONVERGED)
        .until(
            () ->
                bridge(token, "GET", change, null, 200)
                    .path("status")
                    .asString()
                    .equals("applied"));
  }

  /** What tenant-service counts the tenant as using. */
  private long usedMillicores(String token) throws Exception {
    String quota = tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200);
    return JSON.readTree(quota).at("/used/cpuMillicores").asLong();
  }
}
