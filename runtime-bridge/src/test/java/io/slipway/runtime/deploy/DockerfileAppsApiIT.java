package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Apps from a user's own Dockerfile, deployed as build-service deploys them (no port named): their
 * ENTRYPOINT and CMD run, an image without EXPOSE is told its port in {@code $PORT} and checked
 * there, and an image that EXPOSEs another port runs on that port.
 */
class DockerfileAppsApiIT extends ApiFixture {

  /** Writes its page from its arguments, then serves it on {@code $1}. */
  private static final String SERVE_ARGUMENTS =
      """
      b=/bin/busybox
      port=$1; shift
      $b mkdir -p /tmp/www
      echo "$*" > /tmp/www/index.html
      exec $b httpd -f -p "$port" -h /tmp/www
      """;

  @Test
  void runsTheImagesEntrypointWithItsCmd() throws Exception {
    String image =
        TestImages.dockerfile(
            "entrypoint-cmd",
            SERVE_ARGUMENTS,
            """
            ENTRYPOINT ["/bin/busybox", "sh", "/www/run.sh", "8080", "entrypoint"]
            CMD ["and", "cmd"]
            """);
    assertThat(deployAndFetch(image, null)).isEqualTo("8080 entrypoint and cmd\n");
  }

  @Test
  void anImageWithoutExposeIsToldItsPortAndCheckedThere() throws Exception {
    String image =
        TestImages.dockerfile(
            "reads-port",
            SERVE_ARGUMENTS,
            """
            CMD ["/bin/busybox", "sh", "-c", "exec /bin/busybox sh /www/run.sh $PORT on $PORT"]
            """);
    assertThat(deployAndFetch(image, null)).isEqualTo("8080 on 8080\n");
    // the port a deploy names is the one the app is told
    assertThat(deployAndFetch(image, 9000)).isEqualTo("9000 on 9000\n");
  }

  @Test
  void anImageThatExposesAnotherPortRunsOnIt() throws Exception {
    String image =
        TestImages.dockerfile(
            "exposes-3000",
            SERVE_ARGUMENTS,
            """
            EXPOSE 3000
            CMD ["/bin/busybox", "sh", "/www/run.sh", "3000", "on", "3000"]
            """);
    assertThat(deployAndFetch(image, null)).isEqualTo("3000 on 3000\n");
  }

  private String alice;

  @AfterEach
  void forgetApp() {
    if (alice != null) {
      forgetTenant();
    }
  }

  /**
   * Deploys the image (naming the port when given): the revision's port and its page through the
   * router, as {@code <port> <page>}.
   */
  private String deployAndFetch(String image, Integer port) throws Exception {
    if (alice == null) {
      alice = aliceWithApp();
    }
    JsonNode revision =
        bridge(
            alice,
            "POST",
            appPath + "/deployments",
            "{\"image\":\""
                + image
                + "\",\"memoryMib\":32"
                + (port == null ? "" : ",\"port\":" + port)
                + "}",
            201);
    assertThat(revision.path("status").asString()).as(revision.toString()).isEqualTo("live");
    return revision.path("port").asInt()
        + " "
        + HostRequest.get(CADDY.httpPort(), siteHost(), "/").body();
  }
}
