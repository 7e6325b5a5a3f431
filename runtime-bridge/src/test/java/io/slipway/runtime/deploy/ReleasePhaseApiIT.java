package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The release phase and app.json (issue 27), with real podman: a Procfile's {@code release} runs in
 * a one-off container of the new image before it takes traffic; one that fails or overruns stops
 * the deploy while the old revision serves, and shows its output; the one-off container has the
 * app's rights and no more, and is gone afterwards. An app.json's required variables, formation,
 * health check and postdeploy act on the deploy, and a hostile app.json label runs nothing.
 */
class ReleasePhaseApiIT extends ApiFixture {

  private static final String WEB =
      "/bin/busybox mkdir -p /tmp/www && echo web %s > /tmp/www/index.html"
          + " && exec /bin/busybox httpd -f -p $PORT -h /tmp/www";

  @Test
  void aFailingReleaseKeepsTheOldRevisionServingAndShowsItsOutput() throws Exception {
    String alice = aliceWithApp();
    Path escape = Path.of("/tmp", "slwtest-rt-escape-" + suffix);
    String one = image("rel-one", "one", "echo migrating $GREETING", null);
    String bad =
        image(
            "rel-bad",
            "bad",
            "echo uid $(/bin/busybox id -u); /bin/busybox grep CapEff /proc/self/status;"
                + " /bin/busybox touch "
                + escape
                + "; echo boom $GREETING >&2; exit 3",
            null);
    String slow = image("rel-slow", "slow", "echo started; exec /bin/busybox sleep 600", null);
    try {
      JsonNode first = deploy(alice, one, "\"env\":{\"GREETING\":\"hi\"},", 201);
      assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("live");
      assertThat(first.path("stages").findValuesAsString("name"))
          .containsExactly("admission", "release", "start", "health", "route");
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web one\n");
      assertThat(containers(true)).hasSize(1).noneMatch(n -> n.contains("-release-"));

      // Exits 3: nothing of revision 2 started, revision 1 serves, the output is the reason.
      JsonNode failed = deploy(alice, bad, "", 201);
      assertThat(failed.path("status").asString()).isEqualTo("failed");
      String reason = failed.path("reason").asString();
      assertThat(reason)
          .startsWith("revision 2's release command exited with code 3; last output lines:")
          .contains("boom hi")
          // the app's user, with no capability at all
          .contains("uid 65534")
          .containsPattern("CapEff:\\s+0000000000000000");
      assertThat(escape).as("the release ran in its container, not on the host").doesNotExist();
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web one\n");
      assertThat(containers(true)).hasSize(1).allMatch(n -> n.endsWith("-v1-0"));
      JsonNode events = bridge(alice, "GET", appPath + "/events", null, 200).path("items");
      assertThat(events.findValuesAsString("reason")).contains("ReleaseFailed", "RolledBack");
      JsonNode status = bridge(alice, "GET", appPath + "/deployments", null, 200);
      assertThat(status.path("liveRevision").asInt()).isEqualTo(1);
      assertThat(status.path("processes").findValuesAsString("type"))
          .containsExactly("web", "worker");

      // Overruns its time (8 s here): stopped, the same outcome.
      JsonNode overran = deploy(alice, slow, "", 201);
      assertThat(overran.path("status").asString()).isEqualTo("failed");
      assertThat(overran.path("reason").asString())
          .startsWith("revision 3's release command did not finish within 8 s and was stopped")
          .contains("started");
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web one\n");
      assertThat(containers(true)).hasSize(1).allMatch(n -> n.endsWith("-v1-0"));
    } finally {
      forgetTenant();
      Files.deleteIfExists(escape);
    }
  }

  @Test
  void appJsonRequiresItsVariablesSetsTheFirstFormationChecksItsContentAndRunsPostdeploy()
      throws Exception {
    String alice = aliceWithApp();
    String manifest =
        "{\"requiredEnv\":[\"GREETING\",\"TOKEN\"],\"formation\":{\"worker\":%d},"
            + "\"healthcheck\":{\"path\":\"/\",\"content\":\"%s\",\"attempts\":2,\"wait\":0,"
            + "\"timeout\":2},\"postdeploy\":\"echo post $GREETING; exit 4\"}";
    String two = image("json-two", "two", null, manifest.formatted(1, "web two"));
    String greedy = image("json-greedy", "greedy", null, manifest.formatted(50, "web greedy"));
    String wrong = image("json-wrong", "wrong", null, manifest.formatted(1, "never there"));
    String hostile = image("json-hostile", "hostile", null, "{\"formation\":{\"worker\":\"two\"}}");
    try {
      JsonNode missing = deploy(alice, two, "\"env\":{\"GREETING\":\"hi\"},", 422);
      assertThat(missing.path("type").asString()).endsWith("/missing-env");
      assertThat(missing.path("detail").asString())
          .startsWith("the app's app.json requires TOKEN to be set");
      assertThat(containers(true)).isEmpty();
      bridge(
          alice,
          "PUT",
          appPath + "/env",
          "{\"env\":{\"GREETING\":\"hi\"},\"secrets\":{\"TOKEN\":\"s3cret\"}}",
          200);

      // The first formation is reserved like any deploy: 50 workers do not fit the project.
      JsonNode refused = deploy(alice, greedy, "", 409);
      assertThat(refused.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(refused.path("detail").asString()).contains("cpuMillicores");
      assertThat(containers(true)).isEmpty();

      JsonNode live = deploy(alice, two, "", 201);
      assertThat(live.path("status").asString()).as(live.toString()).isEqualTo("live");
      assertThat(live.path("processes").path("worker").path("count").asInt()).isEqualTo(1);
      assertThat(live.path("stages").findValuesAsString("name")).contains("postdeploy");
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web two\n");
      assertThat(containers()).hasSize(2).anyMatch(n -> n.endsWith("-worker-0"));
      JsonNode post = bridge(alice, "GET", appPath + "/events", null, 200).path("items").get(0);
      assertThat(post.path("reason").asString()).isEqualTo("PostdeployFailed");
      assertThat(post.path("message").asString())
          .contains("postdeploy command exited with code 4")
          .contains("post hi");

      // A later deploy keeps the app's formation; a body without the content fails the check.
      JsonNode unhealthy = deploy(alice, wrong, "", 201);
      assertThat(unhealthy.path("status").asString()).isEqualTo("failed");
      assertThat(unhealthy.path("reason").asString())
          .contains("did not pass its app.json health check / (expecting the content");
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web two\n");

      JsonNode invalid = deploy(alice, hostile, "", 422);
      assertThat(invalid.path("type").asString()).endsWith("/invalid-app-json");
      assertThat(invalid.path("detail").asString())
          .startsWith("the image's io.slipway.app-json label has a formation entry");
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web two\n");
    } finally {
      forgetTenant();
    }
  }

  private JsonNode deploy(String token, String image, String extra, int expected) throws Exception {
    return bridge(
        token,
        "POST",
        appPath + "/deployments",
        "{\"image\":\"" + image + "\"," + extra + "\"port\":8080,\"memoryMib\":32}",
        expected);
  }

  /**
   * An image as build-service makes one: a Procfile label with web, a worker and {@code release}
   * (when given), and an app.json label (when given), single-quoted as build-service quotes them.
   */
  private static String image(String tag, String name, String release, String appJson) {
    String procfile =
        "{\"web\":\"true\",\"worker\":\"exec /bin/busybox sleep 100000\""
            + (release == null ? "" : ",\"release\":\"" + release + "\"")
            + "}";
    return TestImages.dockerfile(
        tag,
        "",
        "COPY busybox /bin/sh\n"
            + "LABEL io.slipway.procfile='"
            + procfile
            + "'\n"
            + (appJson == null ? "" : "LABEL io.slipway.app-json='" + appJson + "'\n")
            + "CMD [\"/bin/busybox\", \"sh\", \"-c\", \""
            + WEB.formatted(name)
            + "\"]\n");
  }
}
