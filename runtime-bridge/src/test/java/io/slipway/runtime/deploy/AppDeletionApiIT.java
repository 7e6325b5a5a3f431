package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Deleting an app is accepted (the app marked deleting, 202 with a {@code Location} to {@code
 * .../deletion}) and carried out by the reconciler under the app's lease; a deletion recorded by a
 * bridge that died before carrying it out is finished by the next pass; a deleting app takes no
 * deploy or change (409 {@code being-deleted}).
 */
class AppDeletionApiIT extends ApiFixture {

  @Test
  void aDeletionIsAcceptedThenCarriedOut() throws Exception {
    String alice = aliceWithApp();
    String mallory = user("mallory");
    String host = siteHost();
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.httpd("delete-one", "one\n"), 1, null),
          201);
      // no deletion under way: nothing to read
      bridge(alice, "GET", appPath + "/deletion", null, 404);

      HttpResponse<String> accepted =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + appPath))
                  .header("Authorization", "Bearer " + alice)
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(accepted.body()).isIn(202, 204);
      if (accepted.statusCode() == 202) {
        String deletion =
            URI.create(accepted.headers().firstValue("Location").orElseThrow()).getPath();
        assertThat(deletion).isEqualTo(appPath + "/deletion");
        bridge(mallory, "GET", deletion, null, 404);
        // deleting until the reconciler carried it out, then gone
        await().atMost(Duration.ofSeconds(60)).until(() -> status(alice, deletion) == 404);
      }
      assertThat(containers()).isEmpty();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(404);
      assertThat(bridge(alice, "GET", appPath + "/deployments", null, 200).path("revisions").size())
          .isZero();
      // nothing left to delete: 204 at once
      bridge(alice, "DELETE", appPath, null, 204);
    } finally {
      forgetTenant();
    }
  }

  /**
   * A deletion recorded by a bridge that died before carrying it out: the app says it is deleting
   * and takes no deploy or change; the next bridge's reconciler pass removes it all.
   */
  @Test
  void aDeletionRecordedByABridgeThatDiedIsFinishedByTheNextPass() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String one = TestImages.httpd("delete-died", "died\n");
    try {
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
      AppRef ref = site(alice);
      // what the dying bridge did: recorded the deletion, never carried it out
      assertThat(lifecycle.acceptDeletion(ref, null)).isTrue();
      assertThat(containers()).hasSize(1);
      JsonNode deleting = bridge(alice, "GET", appPath + "/deletion", null, 200);
      assertThat(deleting.path("status").asString()).isEqualTo("deleting");
      for (JsonNode refused :
          List.of(
              bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 409),
              bridge(alice, "POST", appPath + "/scale", "{\"replicas\":2}", 409),
              bridge(alice, "POST", appPath + "/restart", null, 409),
              bridge(alice, "POST", appPath + "/stop", null, 409),
              bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"A\":\"b\"}}", 409))) {
        assertThat(refused.path("type").asString()).endsWith("/being-deleted");
      }

      restartedReconciler().reconcile();

      assertThat(containers()).isEmpty();
      bridge(alice, "GET", appPath + "/deletion", null, 404);
      // its route is gone; tenant-service still lists the app, so the pass parks it "not deployed"
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(503);
      assertThat(store.revisions(ref, 10)).isEmpty();
      String quota = tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200);
      assertThat(JSON.readTree(quota).at("/used/cpuMillicores").asLong()).isZero();
      // the app takes deploys again once gone
      bridge(alice, "POST", appPath + "/deployments", deployment(one, 1, null), 201);
    } finally {
      forgetTenant();
    }
  }

  private int status(String token, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
