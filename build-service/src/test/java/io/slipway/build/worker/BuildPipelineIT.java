package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * git push of a Containerfile repository (a busybox httpd static site) to a running image: real
 * git, real buildah, real podman, real tenant-service quota.
 */
class BuildPipelineIT extends BuildServiceTest {

  private static final String CONTAINERFILE =
      """
      FROM scratch
      COPY busybox /bin/busybox
      COPY www /www
      USER 65534
      EXPOSE 8080
      CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
      """;

  @TempDir Path work;
  @Autowired JdbcClient jdbc;
  @Autowired BuildWorkers workers;
  private GitCli git;
  private Tenancy tenancy;
  private final List<String> containers = new ArrayList<>();
  private final List<String> images = new ArrayList<>();

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String container : containers) {
      run("podman", "rm", "-f", "-t", "0", container);
    }
    for (String image : images) {
      run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void aPushedContainerfileBecomesAnImageThatServesTheSite() throws Exception {
    Path repo = siteRepository("site", "<h1>hello from slipway</h1>");
    String commit = git.ok(repo, "rev-parse", "HEAD");

    long pushed = System.nanoTime();
    git.ok(repo, "push", pushUrl(), "main");
    JsonNode build = awaitEnd(1);
    long pushToImageMillis = (System.nanoTime() - pushed) / 1_000_000;
    System.out.println("push-to-image (busybox static site): " + pushToImageMillis + " ms");

    String image = tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;
    images.add(image);
    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("succeeded");
    assertThat(build.path("image").asString()).isEqualTo(image);
    assertThat(build.path("digest").asString()).startsWith("sha256:").hasSize(71);
    // where the time went: every stage is there, in order, and they add up to at most the total
    List<String> stages =
        build.path("stages").valueStream().map(stage -> stage.path("name").asString()).toList();
    assertThat(stages).containsExactly("receive", "queue", "build", "image");
    long staged =
        build.path("stages").valueStream().mapToLong(stage -> stage.path("millis").asLong()).sum();
    assertThat(staged).isPositive().isLessThanOrEqualTo(pushToImageMillis);
    assertThat(java.time.Instant.parse(build.path("receivedAt").asString()))
        .isBeforeOrEqualTo(java.time.Instant.parse(build.path("createdAt").asString()));
    assertThat(
            run("buildah", "images", "--digests", "--no-trunc", "--format", "{{.Digest}}", image))
        .contains(build.path("digest").asString());

    // the image runs and answers with the pushed page
    int port = freePort();
    String container = "slipway-build-test-" + UUID.randomUUID().toString().substring(0, 8);
    containers.add(container);
    run("podman", "run", "-d", "--name", container, "-p", "127.0.0.1:" + port + ":8080", image);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/index.html"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("<h1>hello from slipway</h1>"));

    // the log is kept and streamed as server-sent events, ending with the status
    String events = sse(buildPath(1) + "/logs");
    assertThat(events)
        .contains("event:log\ndata:Checking out " + commit)
        .contains(
            "data:Building in a sandbox: no network but public package registries through the"
                + " platform's proxy (ports 80, 443), root only in its own user namespace, memory"
                + " 2048 MiB, at most 4096 processes")
        .contains("data:$ buildah bud --layers --pull=never --isolation=chroot --cap-drop=all")
        .contains("data:Built " + image + "@" + build.path("digest").asString())
        .contains("data:deploy skipped: no runtime-bridge is configured")
        .endsWith("event:end\ndata:succeeded\n\n");

    // the quota held while building was released
    JsonNode active =
        Json.get(
                tenancy.owner.jwt(),
                TestTenantService.url()
                    + "/api/v1/tenants/"
                    + tenancy.tenant
                    + "/reservations?active=true")
            .json();
    assertThat(active.path("total").asLong()).isZero();
  }

  @Test
  void aBuildWaitsWithAReasonWhileTheConcurrentBuildQuotaIsFull() throws Exception {
    setProjectConcurrentBuilds(0);
    Path repo = siteRepository("waiting", "<h1>wait</h1>");
    images.add(tenancy.image(IMAGE_PREFIX, "site") + ":" + git.ok(repo, "rev-parse", "HEAD"));
    git.ok(repo, "push", pushUrl(), "main");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode build = Json.get(tenancy.owner.jwt(), baseUrl() + buildPath(1)).json();
              assertThat(build.path("status").asString()).isEqualTo("queued");
              assertThat(build.path("reason").asString())
                  .startsWith("waiting for build quota: ")
                  .contains("concurrentBuilds");
            });

    setProjectConcurrentBuilds(1);
    assertThat(awaitEnd(1).path("status").asString()).isEqualTo("succeeded");
  }

  @Test
  void aRepositoryWithoutContainerfileFailsWithAClearReason() {
    Path repo = git.newRepository(work.resolve("plain"), Map.of("README.md", "nothing to build\n"));
    git.ok(repo, "push", pushUrl(), "main");
    JsonNode build = awaitEnd(1);
    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString()).isEqualTo(BuildExecutor.NOTHING_TO_BUILD);
  }

  @Test
  void buildsLeftRunningByADeadInstanceAreFailedAtStartUp() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            insert into build (id, tenant, project, app, number, commit_id, ref, pushed_by,
                               status, started_at)
            values (:id, :t, 'web', 'site', 1, :c, 'refs/heads/main', 'x', 'running', now())
            """)
        .param("id", id)
        .param("t", tenancy.tenant)
        .param("c", "0".repeat(40))
        .update();

    workers.stop(); // what a restart does
    workers.start();

    JsonNode build = Json.get(tenancy.owner.jwt(), baseUrl() + buildPath(1)).json();
    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString()).isEqualTo("build-service stopped during the build");
  }

  private void setProjectConcurrentBuilds(int limit) {
    Json.Response set =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/quota",
            Map.of("concurrentBuilds", limit));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }

  private Path siteRepository(String name, String page) throws IOException {
    Path repo = work.resolve(name);
    Files.createDirectories(repo);
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    return git.newRepository(repo, Map.of("Containerfile", CONTAINERFILE, "www/index.html", page));
  }

  private String pushUrl() {
    return "http://git:"
        + tenancy.owner.gitToken()
        + "@127.0.0.1:"
        + port
        + tenancy.repositoryPath();
  }

  private String buildPath(int number) {
    return "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/" + number;
  }

  private JsonNode awaitEnd(int number) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              last[0] = Json.get(tenancy.owner.jwt(), baseUrl() + buildPath(number)).json();
              String status = last[0].path("status").asString();
              return status.equals("succeeded") || status.equals("failed");
            });
    return last[0];
  }

  private String sse(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .header("Authorization", "Bearer " + tenancy.owner.jwt())
                    .header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String run(String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
