package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Retention of revision images on real podman: the app's builds (named as build-service names them,
 * under the tenant's build repository) past the newest revisions go from the store unless live,
 * pinned or run by a kept revision of another app; a second pass changes nothing; a rollback to a
 * removed image is refused in plain words and one to a kept image rolls out; pins are the
 * developers' alone; how many revisions keep their images is the tenant's choice (its admins'),
 * within the platform's maximum.
 */
class ImageRetentionApiIT extends ApiFixture {

  @Autowired ImageRetention retention;

  @Test
  void oldBuildsGoWhileLivePinnedAndSharedOnesStay() throws Exception {
    String alice = aliceWithApp();
    tenantService(
        alice,
        "POST",
        "/api/v1/tenants/" + tenant + "/projects/web/apps",
        "{\"name\":\"blog\",\"source\":\"image\",\"sourceRef\":\"x\"}",
        201);
    AppRef site = site(alice);
    String repository =
        GovernanceFixture.BUILD_IMAGE_PREFIX
            + "/"
            + site.tenantId()
            + "/"
            + site.projectId()
            + "/"
            + site.appId();
    // revision n runs build b<n>: 1 is pinned, 2 goes, 3 is what blog runs too, 4 is live
    Map<Integer, String> builds = new TreeMap<>();
    try {
      for (int n = 1; n <= 4; n++) {
        String build = repository + ":b" + n;
        PODMAN.run(List.of("tag", TestImages.httpd("retention-" + n, "build " + n + "\n"), build));
        builds.put(n, build);
        bridge(alice, "POST", app, deployment(build, 1, null), 201);
      }
      String blog = "/api/v1/tenants/" + tenant + "/projects/web/apps/blog";
      bridge(alice, "POST", blog + "/deployments", deployment(builds.get(3), 1, null), 201);

      // pins are a developer's: a viewer is refused, another tenant finds no such app
      String pin = app + "/1/pin";
      String victor = viewer(alice);
      bridge(victor, "POST", pin, null, 403);
      String mallory = user("mallory");
      bridge(mallory, "POST", pin, null, 404);
      bridge(mallory, "DELETE", pin, null, 404);
      assertThat(bridge(alice, "POST", pin, null, 200).path("pinned").asBoolean()).isTrue();
      assertThat(bridge(alice, "DELETE", pin, null, 200).path("pinned").asBoolean()).isFalse();
      assertThat(bridge(alice, "POST", pin, null, 200).path("pinned").asBoolean()).isTrue();
      bridge(alice, "POST", app + "/9/pin", null, 404);

      // The tenant keeps the newest revision's image of each app: a tenant-admin's choice within
      // the platform's maximum; its members read it, nobody else sees it.
      String setting = "/api/v1/tenants/" + tenant + "/image-retention";
      JsonNode before = bridge(alice, "GET", setting, null, 200);
      assertThat(before.path("revisions").asInt()).isEqualTo(10);
      assertThat(before.path("own").isNull()).isTrue();
      assertThat(before.path("maxRevisions").asInt()).isEqualTo(50);
      retention.sweep();
      assertThat(builds.values().stream().filter(this::exists).toList()).hasSize(4);
      assertThat(bridge(victor, "GET", setting, null, 200).path("revisions").asInt()).isEqualTo(10);
      bridge(victor, "PUT", setting, "{\"revisions\":1}", 403);
      bridge(mallory, "GET", setting, null, 404);
      bridge(mallory, "PUT", setting, "{\"revisions\":1}", 404);
      JsonNode tooMany = bridge(alice, "PUT", setting, "{\"revisions\":51}", 400);
      assertThat(tooMany.path("type").asString()).endsWith("/invalid-retention");
      assertThat(tooMany.path("detail").asString()).contains("from 1 to 50");
      bridge(alice, "PUT", setting, "{\"revisions\":0}", 400);
      JsonNode one = bridge(alice, "PUT", setting, "{\"revisions\":1}", 200);
      assertThat(one.path("revisions").asInt()).isEqualTo(1);
      assertThat(one.path("own").asInt()).isEqualTo(1);

      // A sweep killed after it removed build 2's image but before it recorded that: the image
      // is gone, revision 2 still says kept. The next sweep finds it gone and records it.
      PODMAN.run(List.of("rmi", builds.get(2)));
      assertThat(revisions(alice).get(2)).isEqualTo("kept");
      retention.sweep();

      assertThat(exists(builds.get(2))).isFalse();
      assertThat(exists(builds.get(1))).isTrue();
      assertThat(exists(builds.get(3))).isTrue();
      assertThat(exists(builds.get(4))).isTrue();
      // the test's own name for build 2's image is not the tenant's: it stays
      assertThat(exists(TestImages.httpd("retention-2", "build 2\n"))).isTrue();
      Map<Integer, String> shown = revisions(alice);
      assertThat(shown).isEqualTo(Map.of(1, "pinned", 2, "imageRemoved", 3, "kept", 4, "kept"));

      // a second pass (another replica's, or after a kill) changes nothing
      retention.sweep();
      assertThat(revisions(alice)).isEqualTo(shown);
      assertThat(builds.values().stream().filter(this::exists).toList())
          .containsExactly(builds.get(1), builds.get(3), builds.get(4));

      JsonNode refused = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":2}", 409);
      assertThat(refused.path("type").asString()).endsWith("/image-removed");
      assertThat(refused.path("detail").asString())
          .isEqualTo(
              "revision 2's image was removed by retention (only the newest 1 revisions'"
                  + " images are kept); deploy a new build or roll back to a revision still"
                  + " listed");
      bridge(alice, "POST", app + "/2/pin", null, 409);
      JsonNode back = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":1}", 201);
      assertThat(back.path("status").asString()).isEqualTo("live");
      assertThat(back.path("image").asString()).isEqualTo(builds.get(1));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          JSON.readTree(
                                  tenantService(
                                      alice,
                                      "GET",
                                      "/api/v1/tenants/" + tenant + "/audit?size=50",
                                      null,
                                      200))
                              .path("items")
                              .findValuesAsString("action"))
                      .contains(
                          "app.revision-pinned",
                          "app.revision-unpinned",
                          "image-retention.updated"));

      // back to the platform's default
      JsonNode reset = bridge(alice, "PUT", setting, "{\"revisions\":null}", 200);
      assertThat(reset.path("revisions").asInt()).isEqualTo(10);
      assertThat(reset.path("own").isNull()).isTrue();
    } finally {
      forgetTenant();
      builds.values().forEach(build -> PODMAN.attempt(List.of("rmi", build)));
    }
  }

  private boolean exists(String image) {
    return PODMAN.attempt(List.of("image", "exists", image)).succeeded();
  }

  /** Each revision of site as the list shows it: pinned, imageRemoved or kept. */
  private Map<Integer, String> revisions(String token) throws Exception {
    Map<Integer, String> shown = new TreeMap<>();
    for (JsonNode r : bridge(token, "GET", app, null, 200).path("revisions")) {
      shown.put(
          r.path("revision").asInt(),
          r.path("pinned").asBoolean()
              ? "pinned"
              : r.path("imageRemoved").asBoolean() ? "imageRemoved" : "kept");
    }
    return shown;
  }
}
