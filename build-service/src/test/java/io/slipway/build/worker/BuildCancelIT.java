package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST .../builds/{n}/cancel}: a queued build is cancelled at once and never runs; a running
 * one has its sandbox stopped (no process, no sandbox container left), its quota released and its
 * log stream ended with {@code cancelled}; viewers get 403, other tenants 404, ended builds 409.
 */
@ExtendWith(StaticBase.class)
class BuildCancelIT extends BuildServiceTest {

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenancy;

  /** The base: a platform image (the static stack's), which every tenant's sandbox may use. */
  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
    setProjectConcurrentBuilds(1);
  }

  @Test
  void aRunningBuildIsStoppedWithNothingLeftBehind() throws Exception {
    Path repo = repository("sleeper", "RUN [\"/bin/busybox\", \"sleep\", \"600\"]");
    git.ok(repo, "push", pushUrl(tenancy.owner), "main");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> build(1).path("status").asString().equals("running"));
    UUID id = UUID.fromString(build(1).path("id").asString());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Commands.sandboxExists(id, tenancy.ids().tenantId()));
    // a warm builder exists before the build's buildah starts in it
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !processesOf(id).isEmpty());
    CompletableFuture<HttpResponse<String>> stream = logStream(1);
    // the running build holds one concurrent build, which the cancel must give back
    assertThat(activeReservations()).isEqualTo(1);

    Json.Response cancel = cancel(tenancy.owner, 1);

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(cancel.json().path("status").asString()).isEqualTo("cancelled");
    assertThat(cancel.json().path("reason").asString())
        .isEqualTo("cancelled by " + tenancy.owner.name());
    assertThat(stream.get().body()).endsWith("event:end\ndata:cancelled\n\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> processesOf(id).isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(Commands.sandboxExists(id, tenancy.ids().tenantId())).isFalse());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(activeReservations()).isZero());
    assertThat(build(1).path("status").asString()).isEqualTo("cancelled");

    // the next push builds: the cancelled build holds no concurrent-build quota
    Files.writeString(
        repo.resolve("Containerfile"), containerfile("RUN [\"/bin/busybox\", \"true\"]"));
    git.ok(repo, "commit", "-qam", "no more sleeping");
    images.add(image(git.ok(repo, "rev-parse", "HEAD")));
    git.ok(repo, "push", pushUrl(tenancy.owner), "main");
    assertThat(awaitEnd(2).path("status").asString()).isEqualTo("succeeded");
  }

  @Test
  void aQueuedBuildIsCancelledAtOnceAndNeverRuns() throws Exception {
    setProjectConcurrentBuilds(0);
    Path repo = repository("queued", "RUN [\"/bin/busybox\", \"true\"]");
    git.ok(repo, "push", pushUrl(tenancy.owner), "main");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> build(1).path("reason").asString().startsWith("waiting for build quota"));

    Json.Response cancel = cancel(tenancy.owner, 1);

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(cancel.json().path("status").asString()).isEqualTo("cancelled");
    assertThat(logStream(1).get().body()).endsWith("event:end\ndata:cancelled\n\n");

    setProjectConcurrentBuilds(1);
    Files.writeString(repo.resolve("README"), "again\n");
    git.ok(repo, "add", "README");
    git.ok(repo, "commit", "-qm", "again");
    images.add(image(git.ok(repo, "rev-parse", "HEAD")));
    git.ok(repo, "push", pushUrl(tenancy.owner), "main");
    assertThat(awaitEnd(2).path("status").asString()).isEqualTo("succeeded");
    JsonNode first = build(1);
    assertThat(first.path("status").asString()).isEqualTo("cancelled");
    assertThat(first.path("startedAt").isNull()).as(first.toString()).isTrue();
  }

  @Test
  void onlyDevelopersOfTheTenantCancelAndAnEndedBuildConflicts() throws Exception {
    Path repo = repository("quick", "RUN [\"/bin/busybox\", \"true\"]");
    images.add(image(git.ok(repo, "rev-parse", "HEAD")));
    git.ok(repo, "push", pushUrl(tenancy.owner), "main");
    assertThat(awaitEnd(1).path("status").asString()).isEqualTo("succeeded");

    Json.Response viewer = cancel(tenancy.member("viewer"), 1);
    assertThat(viewer.status()).as(viewer.body()).isEqualTo(403);
    Json.Response stranger = cancel(tenancy.user("stranger"), 1);
    assertThat(stranger.status()).as(stranger.body()).isEqualTo(404);
    Json.Response ended = cancel(tenancy.member("developer"), 1);
    assertThat(ended.status()).as(ended.body()).isEqualTo(409);
    assertThat(ended.json().path("type").asString()).endsWith("/build-ended");
    assertThat(ended.json().path("detail").asString()).contains("has already ended: succeeded");
    Json.Response missing = cancel(tenancy.owner, 7);
    assertThat(missing.status()).isEqualTo(404);
  }

  private Path repository(String name, String step) throws Exception {
    Path repo = work.resolve(name);
    return git.newRepository(repo, Map.of("Containerfile", containerfile(step)));
  }

  private static String containerfile(String step) {
    return "FROM " + STATIC_BASE_IMAGE + "\n" + step + "\n";
  }

  private String image(String commit) {
    return tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;
  }

  private static List<ProcessHandle> processesOf(UUID build) {
    String marker = "slipway-build-" + build + "-";
    return ProcessHandle.allProcesses()
        .filter(
            process ->
                process.info().arguments().stream()
                    .flatMap(Stream::of)
                    .anyMatch(argument -> argument.contains(marker)))
        .toList();
  }

  private Json.Response cancel(Tenancy.User user, int number) {
    return Json.post(user.jwt(), baseUrl() + buildPath(number) + "/cancel", null);
  }

  private JsonNode build(int number) {
    return Json.get(tenancy.owner.jwt(), baseUrl() + buildPath(number)).json();
  }

  private JsonNode awaitEnd(int number) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] = build(number);
              return Stream.of("succeeded", "failed", "cancelled")
                  .anyMatch(last[0].path("status").asString()::equals);
            });
    return last[0];
  }

  /** The build's SSE log stream; it completes when the build has ended or the log is read. */
  private CompletableFuture<HttpResponse<String>> logStream(int number) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create(baseUrl() + buildPath(number) + "/logs"))
                .header("Authorization", "Bearer " + tenancy.owner.jwt())
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The concurrent builds the tenant's usage shows held. (Its reservations' list is for services
   * only: its owner gets a 403 there, which read as no reservations, so this check could not fail.)
   */
  private long activeReservations() {
    Json.Response usage =
        Json.get(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/usage");
    assertThat(usage.status()).as(usage.body()).isEqualTo(200);
    assertThat(usage.json().path("used").has("concurrentBuilds")).as(usage.body()).isTrue();
    return usage.json().path("used").path("concurrentBuilds").asLong();
  }

  private void setProjectConcurrentBuilds(int limit) {
    Json.Response set =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/quota",
            Map.of("concurrentBuilds", limit));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }

  private String pushUrl(Tenancy.User user) {
    return "http://git:" + user.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath();
  }

  private String buildPath(int number) {
    return "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/" + number;
  }
}
