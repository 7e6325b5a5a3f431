package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Process types besides web (issue 27), with real podman: an image whose Procfile label declares
 * {@code web}, {@code worker} and {@code release} runs web only until the worker is scaled; then
 * the worker runs its command from the same image with the app's environment, its log is readable
 * by type, it counts against the project's compute quota, and a redeploy replaces it with the new
 * image's. Another tenant reaches none of it, and a hostile label runs nothing.
 */
class ProcessTypesApiIT extends ApiFixture {

  /** The worker: one line a second, naming its image and the app's variable. */
  private static final String WORKER =
      """
      while true; do
        echo "tick $1"
        /bin/busybox sleep 1
      done
      """;

  @Test
  void aWorkerRunsOnceScaledLogsCountsInQuotaAndFollowsARedeploy() throws Exception {
    String alice = aliceWithApp();
    String one = workerImage("one");
    String two = workerImage("two");
    try {
      JsonNode first =
          bridge(
              alice,
              "POST",
              appPath + "/deployments",
              "{\"image\":\""
                  + one
                  + "\",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32,"
                  + "\"env\":{\"GREETING\":\"hi\"}}",
              201);
      assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("live");
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web one\n");

      // Declared, not running: 0 until scaled; release is not a process.
      JsonNode status = bridge(alice, "GET", appPath + "/deployments", null, 200);
      JsonNode processes = status.path("processes");
      assertThat(processes.size()).as(processes.toString()).isEqualTo(2);
      assertThat(processes.path(0).path("type").asString()).isEqualTo("web");
      assertThat(processes.path(0).path("count").asInt()).isEqualTo(1);
      assertThat(processes.path(0).path("running").asInt()).isEqualTo(1);
      assertThat(processes.path(1).path("type").asString()).isEqualTo("worker");
      assertThat(processes.path(1).path("command").asString())
          .isEqualTo("exec /bin/busybox sh /www/run.sh \"one-$GREETING\"");
      assertThat(processes.path(1).path("count").asInt()).isEqualTo(0);
      assertThat(processes.path(1).path("running").asInt()).isEqualTo(0);
      assertThat(containers()).hasSize(1);

      JsonNode scaled =
          bridge(alice, "POST", appPath + "/scale", "{\"type\":\"worker\",\"replicas\":1}", 200);
      assertThat(scaled.path("processes").path("worker").path("count").asInt()).isEqualTo(1);
      assertThat(scaled.path("replicas").asInt()).isEqualTo(1);
      assertThat(containers()).hasSize(2).anyMatch(name -> name.endsWith("-v1-worker-0"));
      // the command ran in the container's shell: $GREETING is the app's variable
      awaitWorkerLog(alice, "data:tick one-hi");
      assertThat(call(base(), alice, "GET", appPath + "/logs?tail=50", null, 200))
          .doesNotContain("tick");
      assertThat(bridge(alice, "GET", appPath + "/deployments", null, 200).path("processes"))
          .anyMatch(
              p -> p.path("type").asString().equals("worker") && p.path("running").asInt() == 1);

      // Each worker is a replica of the revision's size: 250 millicores of the project's 1000.
      bridge(alice, "POST", appPath + "/scale", "{\"type\":\"worker\",\"replicas\":3}", 200);
      assertThat(containers()).hasSize(4);
      JsonNode refused =
          bridge(alice, "POST", appPath + "/scale", "{\"type\":\"worker\",\"replicas\":4}", 409);
      assertThat(refused.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(refused.path("detail").asString()).contains("cpuMillicores");
      assertThat(containers()).hasSize(4);
      bridge(alice, "POST", appPath + "/scale", "{\"type\":\"worker\",\"replicas\":1}", 200);
      assertThat(containers()).hasSize(2);
      JsonNode usage =
          JSON.readTree(
              tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200));
      assertThat(usage.path("used").path("cpuMillicores").asLong()).isEqualTo(500);
      assertThat(usage.path("used").path("replicas").asLong()).isEqualTo(2);
      // web scales as before, beside the worker
      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":2}", 200);
      assertThat(containers()).hasSize(3);
      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":1}", 200);

      // A redeploy runs the new image's worker as many times, and the old one goes.
      JsonNode second =
          bridge(
              alice,
              "POST",
              appPath + "/deployments",
              "{\"image\":\"" + two + "\",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32}",
              201);
      assertThat(second.path("status").asString()).as(second.toString()).isEqualTo("live");
      assertThat(second.path("processes").path("worker").path("count").asInt()).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> containers().stream().filter(n -> n.contains("-v2-")).count() == 2);
      assertThat(containers()).hasSize(2).noneMatch(name -> name.contains("-v1-"));
      awaitWorkerLog(alice, "data:tick two-hi");

      // A rollback runs the old image's worker, as many times as the app runs it now.
      JsonNode back = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":1}", 201);
      assertThat(back.path("status").asString()).as(back.toString()).isEqualTo("live");
      assertThat(back.path("processes").path("worker").path("count").asInt()).isEqualTo(1);
      awaitWorkerLog(alice, "data:tick one-hi");
      assertThat(containers()).hasSize(2).allMatch(name -> name.contains("-v3-"));

      // The reconciler starts a worker removed behind its back again.
      String worker =
          containers().stream().filter(n -> n.endsWith("-worker-0")).findFirst().orElseThrow();
      PODMAN.run(List.of("rm", "-f", "-t", "0", worker));
      reconciler.reconcile();
      assertThat(containers()).contains(worker);
      // ... and one found stopped, with an event naming it (podman does not restart a stop)
      PODMAN.run(List.of("stop", "-t", "0", worker));
      assertThat(containers()).doesNotContain(worker);
      reconciler.reconcile();
      assertThat(containers()).contains(worker);
      JsonNode event = bridge(alice, "GET", appPath + "/events", null, 200).path("items").get(0);
      assertThat(event.path("reason").asString()).isIn("Exited", "OOMKilled");
      assertThat(event.path("message").asString()).contains(worker);

      // Another tenant's user reaches neither the worker's scale nor its logs.
      String mallory = user("mallory");
      bridge(mallory, "POST", appPath + "/scale", "{\"type\":\"worker\",\"replicas\":0}", 404);
      call(base(), mallory, "GET", appPath + "/logs?process=worker", null, 404);
      // An unknown type is 404, a name that is none is refused before anything is looked up.
      bridge(alice, "POST", appPath + "/scale", "{\"type\":\"clock\",\"replicas\":1}", 404);
      bridge(alice, "POST", appPath + "/scale", "{\"type\":\"release\",\"replicas\":1}", 404);
      bridge(alice, "POST", appPath + "/scale", "{\"type\":\"a;b\",\"replicas\":1}", 400);
      bridge(
          alice,
          "POST",
          appPath + "/scale",
          "{\"type\":\"" + "w".repeat(64) + "\",\"replicas\":1}",
          400);
      call(base(), alice, "GET", appPath + "/logs?process=..%2Fx", null, 422);
      assertThat(containers()).hasSize(2);
    } finally {
      forgetTenant();
    }
  }

  /**
   * A label a tenant's own Containerfile wrote with process types that are no names (a path, a
   * shell command, 200 characters): the deploy is refused naming the label, nothing of it runs, and
   * the live revision keeps serving.
   */
  @Test
  void aHostileProcfileLabelRunsNothing() throws Exception {
    String alice = aliceWithApp();
    String good = workerImage("one");
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          "{\"image\":\"" + good + "\",\"port\":8080,\"memoryMib\":32}",
          201);
      for (String type : List.of("../../x", "w;touch /tmp/p", "x".repeat(200), "a b")) {
        String hostile =
            TestImages.dockerfile(
                "hostile-" + Integer.toHexString(type.hashCode()),
                WORKER,
                """
                COPY busybox /bin/sh
                LABEL io.slipway.procfile='{"%s":"true"}'
                CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
                """
                    .formatted(type));
        JsonNode refused =
            bridge(
                alice,
                "POST",
                appPath + "/deployments",
                "{\"image\":\"" + hostile + "\",\"port\":8080,\"memoryMib\":32}",
                422);
        assertThat(refused.path("type").asString()).endsWith("/invalid-process-types");
        assertThat(refused.path("detail").asString())
            .startsWith("the image's io.slipway.procfile label names a process type");
      }
      assertThat(containers()).hasSize(1).allMatch(name -> name.endsWith("-v1-0"));
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("web one\n");
    } finally {
      forgetTenant();
    }
  }

  /**
   * An image as build-service makes one from a Procfile: its web command as CMD, every type in the
   * single-quoted label (so buildah keeps {@code $GREETING} for the container's shell).
   */
  private static String workerImage(String name) {
    return TestImages.dockerfile(
        "procfile-" + name,
        WORKER,
        """
        COPY busybox /bin/sh
        LABEL io.slipway.procfile='{"web":"exec /bin/busybox httpd -f -p $PORT -h /tmp/www",\
        "worker":"exec /bin/busybox sh /www/run.sh \\"%1$s-$GREETING\\"","release":"true"}'
        CMD ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /tmp/www && echo web %1$s > /tmp/www/index.html && exec /bin/busybox httpd -f -p $PORT -h /tmp/www"]
        """
            .formatted(name));
  }

  private void awaitWorkerLog(String token, String line) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                call(base(), token, "GET", appPath + "/logs?process=worker&tail=5", null, 200)
                    .contains(line));
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }
}
