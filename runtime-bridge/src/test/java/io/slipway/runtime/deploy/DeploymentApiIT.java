package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.testing.TestKeycloak;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The deploy API end to end: deploy, replay, redeploy, roll back, scale, quota refusal, access, and
 * the reconciler restoring and cleaning up.
 */
class DeploymentApiIT extends ApiFixture {

  /**
   * An app that cannot come back (its image was deleted behind the bridge's back) is tried again on
   * every pass, and the reconciler still restores the others in the same pass.
   */
  @Test
  void anAppThatCannotComeBackDoesNotHoldUpTheOthers() throws Exception {
    String alice = aliceWithApp();
    tenantService(
        alice,
        "POST",
        "/api/v1/tenants/" + tenant + "/projects/web/apps",
        "{\"name\":\"gone\",\"source\":\"image\",\"sourceRef\":\"x\"}",
        201);
    String host = siteHost();
    String one = TestImages.httpd("api-one", "one\n");
    // an image of its own (its own content, so its own id) that can be deleted
    String doomed = TestImages.httpd("doomed-" + tenant, "doomed " + tenant + "\n");
    String gonePath = "/api/v1/tenants/" + tenant + "/projects/web/apps/gone";
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
      bridge(alice, "POST", gonePath + "/deployments", deployment(doomed, 1, null), 201);
      PODMAN.run(List.of("rm", "-f", "-t", "0", containers().getFirst()));
      AppRef gone = tenants.requireAccess(tenant, "web", "gone", alice, false);
      PODMAN.run(List.of("rm", "-f", "-t", "0", TestImages.PREFIX + gone.appId() + "-v1-0"));
      PODMAN.run(List.of("rmi", "-f", doomed));

      assertThatCode(reconciler::reconcile).doesNotThrowAnyException();

      assertThat(containers()).hasSize(1);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
    } finally {
      forgetTenant();
    }
  }

  @Test
  void deploysRedeploysRollsBackScalesAndStaysWithinQuota() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String one = TestImages.httpd("api-one", "one\n");
    String two = TestImages.httpd("api-two", "two\n");
    try {
      // Deploy, and a replay of the same build answers the same revision.
      String deploy = deployment(one, 1, "build-1");
      JsonNode first = bridge(alice, "POST", appPath + "/deployments", deploy, 201);
      assertThat(first.path("revision").asInt()).isEqualTo(1);
      assertThat(first.path("status").asString()).isEqualTo("live");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
      assertThat(
              bridge(alice, "POST", appPath + "/deployments", deploy, 200).path("revision").asInt())
          .isEqualTo(1);

      // Redeploy, then roll back to revision 1 as revision 3.
      bridge(alice, "POST", appPath + "/deployments", deployment(two, 2, "build-2"), 201);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("two\n");
      JsonNode back = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":1}", 201);
      assertThat(back.path("revision").asInt()).isEqualTo(3);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
      assertThat(containers()).hasSize(1);

      // Scale within the project's 1000 millicores, then beyond it.
      assertThat(
              bridge(alice, "POST", appPath + "/scale", "{\"replicas\":4}", 200)
                  .path("replicas")
                  .asInt())
          .isEqualTo(4);
      assertThat(containers()).hasSize(4);
      JsonNode refused = bridge(alice, "POST", appPath + "/scale", "{\"replicas\":5}", 409);
      assertThat(refused.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(refused.path("detail").asString()).contains("cpuMillicores");
      assertThat(refused.path("limit").asLong()).isEqualTo(1000);
      assertThat(containers()).hasSize(4);
      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":1}", 200);

      // The quota the kubernetes driver renders is the project's, read with the bridge's token.
      assertThat(tenants.projectQuota(site(alice)).orElseThrow().cpuMillicores()).isEqualTo(1000);

      // What tenant-service counts is what runs: old revisions' reservations were released.
      JsonNode usage =
          JSON.readTree(
              tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200));
      assertThat(usage.path("used").path("cpuMillicores").asLong()).isEqualTo(250);
      assertThat(usage.path("used").path("replicas").asLong()).isEqualTo(1);

      JsonNode status = bridge(alice, "GET", appPath + "/deployments", null, 200);
      assertThat(status.path("liveRevision").asInt()).isEqualTo(3);
      // the URL a user opens: the app's host and the router's port
      assertThat(status.path("url").asString())
          .startsWith("http://site--web--" + tenant + ".apps.")
          .endsWith(":" + CADDY.listen().substring(CADDY.listen().lastIndexOf(':') + 1));
      assertThat(status.path("revisions").size()).isEqualTo(3);
      assertThat(status.path("revisions").path(1).path("status").asString()).isEqualTo("retired");

      // The reconciler restores a container removed behind its back, and removes an orphan.
      PODMAN.run(List.of("rm", "-f", "-t", "0", containers().getFirst()));
      AppRef site = site(alice);
      String ghostId = Specs.id('a', "ghost-" + suffix);
      PODMAN.run(
          List.of(
              "run",
              "-d",
              "--name",
              TestImages.PREFIX + ghostId + "-v1-0",
              "--label",
              "app.kubernetes.io/managed-by=slipway",
              "--label",
              "slipway.io/tenant-id=" + site.tenantId(),
              "--label",
              "slipway.io/project-id=" + site.projectId(),
              "--label",
              "slipway.io/app-id=" + ghostId,
              "--label",
              "slipway.io/host=ghost--web--" + tenant,
              "--label",
              "slipway.io/tenant=" + tenant,
              "--label",
              "slipway.io/project=web",
              "--label",
              "slipway.io/app=ghost",
              "--label",
              "slipway.io/revision=1",
              "--user",
              "65534",
              one));
      reconciler.reconcile();
      reconciler.reconcile();
      assertThat(containers()).hasSize(1);
      assertThat(ghosts()).isEmpty();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");

      // Someone else does not see the app at all; a failing image is rolled back with its reason.
      String mallory = user("mallory");
      bridge(mallory, "GET", appPath + "/deployments", null, 404);
      // nor one of its revisions by the Location a deploy answers; to alice a number that is no
      // revision is a 404 too
      bridge(mallory, "GET", appPath + "/deployments/1", null, 404);
      assertThat(
              bridge(alice, "GET", appPath + "/deployments/1", null, 200).path("revision").asInt())
          .isEqualTo(1);
      bridge(alice, "GET", appPath + "/deployments/99", null, 404);
      JsonNode failed =
          bridge(
              alice,
              "POST",
              appPath + "/deployments",
              deployment(TestImages.failing("cannot-start", 7), 1, null),
              201);
      assertThat(failed.path("status").asString()).isEqualTo("failed");
      assertThat(failed.path("reason").asString()).contains("exited with code 7", "cannot-start");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A bridge killed between starting a revision and making it live left a revision marked
   * deploying, its containers and its reservation. The next bridge's reconciler abandons it: the
   * containers go, the reservation is released, the live revision keeps serving.
   */
  @Test
  void convergesAfterTheBridgeDiedMidDeploy() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    try {
      // Deployed as build-service does it: its own service token, the build id a JSON number.
      String image = TestImages.httpd("api-one", "one\n");
      String digest =
          PODMAN
              .run(List.of("image", "inspect", "--format", "{{.Digest}}", image))
              .stdout()
              .strip();
      String fromBuild =
          "{\"image\":\""
              + image
              + "\",\"digest\":\""
              + digest
              + "\",\"buildId\":42,\"buildNumber\":7,"
              + "\"commit\":\"0123456789abcdef0123456789abcdef01234567\"}";
      JsonNode deployed =
          bridge(TestKeycloak.serviceToken("build-service"), "POST", app, fromBuild, 201);
      assertThat(deployed.path("status").asString()).isEqualTo("live");
      assertThat(deployed.path("buildId").asString()).isEqualTo("42");
      // the revision names its build as users know it, and so does its event
      assertThat(deployed.path("buildNumber").asInt()).isEqualTo(7);
      assertThat(deployed.path("commit").asString())
          .isEqualTo("0123456789abcdef0123456789abcdef01234567");
      assertThat(bridge(alice, "GET", appPath + "/events", null, 200).path("items").toString())
          .contains("Revision 1 from build #7 (0123456) is live");
      AppRef ref = site(alice);
      // What the dying bridge had done: recorded revision 2, reserved, started its containers.
      AppSpec two = Specs.web(ref, 2, TestImages.httpd("api-two", "two\n"), 2);
      int revision = store.nextRevision(ref);
      assertThat(revision).isEqualTo(2);
      tenants.reserve(ref, "rt:web:site:r2:g0", new TenantApi.Compute(500, 128, 2));
      store.insert(two, null, "rt:web:site:r2:g0");
      driver.apply(two);
      assertThat(containers()).hasSize(3);

      Reconciler restarted = restartedReconciler();
      restarted.reconcile();
      restarted.reconcile();

      assertThat(containers()).hasSize(1);
      assertThat(driver.observe(ref)).extracting(RevisionState::revision).containsExactly(1);
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("failed");
      assertThat(store.revision(ref, 2).orElseThrow().reason()).contains("bridge stopped");
      JsonNode usage =
          JSON.readTree(
              tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200));
      assertThat(usage.path("used").path("cpuMillicores").asLong()).isEqualTo(250);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
    } finally {
      forgetTenant();
    }
  }

  /**
   * Six deploys of six apps at once against a project quota with room for three: exactly three go
   * live, the other three are refused with tenant-service's numbers, and what is counted is what
   * runs.
   */
  @Test
  void concurrentDeploysNeverOvercommitTheProjectQuota() throws Exception {
    try {
      deploySixAppsAtOnce();
    } finally {
      forgetTenant();
    }
  }

  private void deploySixAppsAtOnce() throws Exception {
    String alice = aliceWithApp();
    tenantService(
        alice,
        "PUT",
        "/api/v1/tenants/" + tenant + "/projects/web/quota",
        "{\"cpuMillicores\":750}",
        200);
    String image = TestImages.httpd("api-one", "one\n");
    List<String> apps = List.of("a1", "a2", "a3", "a4", "a5", "a6");
    for (String name : apps) {
      tenantService(
          alice,
          "POST",
          "/api/v1/tenants/" + tenant + "/projects/web/apps",
          "{\"name\":\"" + name + "\",\"source\":\"image\",\"sourceRef\":\"x\"}",
          201);
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(apps.size())) {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (String name : apps) {
        answers.add(
            pool.submit(
                () ->
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + port
                                        + "/api/v1/tenants/"
                                        + tenant
                                        + "/projects/web/apps/"
                                        + name
                                        + "/deployments"))
                            .header("Authorization", "Bearer " + alice)
                            .header("Content-Type", "application/json")
                            .header("Prefer", PREFER_WAIT)
                            .POST(HttpRequest.BodyPublishers.ofString(deployment(image, 1, null)))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get();
        statuses.add(response.statusCode());
        if (response.statusCode() == 201) {
          assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("live");
        } else {
          assertThat(JSON.readTree(response.body()).path("type").asString())
              .as(response.statusCode() + " " + response.body())
              .endsWith("/quota-exceeded");
        }
      }
      assertThat(statuses).containsExactlyInAnyOrder(201, 201, 201, 409, 409, 409);
    }
    List<String> running =
        PODMAN
            .run(
                List.of(
                    "ps",
                    "--format",
                    "{{.Names}}",
                    "--filter",
                    "label=slipway.io/tenant=" + tenant))
            .stdout()
            .lines()
            .toList();
    assertThat(running).hasSize(3);
    JsonNode usage =
        JSON.readTree(
            tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200));
    assertThat(usage.path("used").path("cpuMillicores").asLong()).isEqualTo(750);
    assertThat(usage.path("used").path("replicas").asLong()).isEqualTo(3);
  }
}
