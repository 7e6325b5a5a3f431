package io.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.testing.Router;
import io.slipway.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 25 through the whole platform: an external-git app's forge sends signed pull and merge
 * request deliveries; build-service builds the pull request's head, runtime-bridge runs it under
 * the preview's own host behind the real router, and closing the pull request leaves nothing of the
 * preview: no container, route, image, reservation or record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullRequestPreviewIT {

  private static final String PREFIX = "slwpr-";
  private static final Sample SAMPLE = Sample.STATIC_SITE;

  private Path work;
  private TestPlatform platform;
  private Router router;
  private Leftovers leftovers;
  private Deployer deployer;
  private Previews previews;
  private Forge forge;
  private Deployer.App app;

  /** One tenant for the class, with an external-git app serving its main branch. */
  @BeforeAll
  void startPlatformWithALiveExternalApp() throws Exception {
    work = Files.createTempDirectory("slipway-previews");
    platform = TestPlatform.start(PREFIX, work);
    router = new Router(platform.caddy().httpPort());
    leftovers = new Leftovers(platform);
    ExternalGitApp shop = ExternalGitApp.create(platform, work, SAMPLE);
    deployer = shop.deployer();
    previews = shop.previews();
    forge = shop.forge();
    app = shop.app();
    awaitServing(app.host(), "(main)");
  }

  @AfterAll
  void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
    TestPlatform.removeEverythingNamed(PREFIX);
    TestPlatform.deleteWork(work);
  }

  @Test
  void aPullRequestIsServedAtItsOwnHostFollowsNewCommitsAndLeavesNothingWhenClosed() {
    Map<String, Long> before = previews.held();
    String first = forge.pullRequestHead(7, "refs/pull/7/head", "pull request 7");

    Forge.Answer opened = forge.githubPullRequest("opened", 7, first).expect(202);

    assertThat(opened.body().path("status").asString()).isEqualTo("queued");
    String host = previews.host(app, "pr-7");
    assertThat(host).isEqualTo("pr-7--shop--web--" + deployer.tenant() + ".apps.localhost");
    awaitServing(host, "(pull request 7)");
    assertThat(router.get(app.host()).body()).contains("(main)").doesNotContain("pull request");
    String previewId = previews.preview(app, "pr-7").json().path("appId").asString();
    assertThat(leftovers.containers(previewId)).isPositive();
    assertThat(leftovers.routes(previewId)).isOne();
    assertThat(previews.held().get("replicas")).isGreaterThan(before.get("replicas"));
    assertThat(previews.held().get("previews")).isEqualTo(before.get("previews") + 1);

    String second = forge.pullRequestHead(7, "refs/pull/7/head", "second commit");
    forge.githubPullRequest("synchronize", 7, second).expect(202);
    awaitServing(host, "(second commit)");
    assertThat(router.get(app.host()).body()).contains("(main)");

    Forge.Answer closed = forge.githubPullRequest("closed", 7, second).expect(202);

    assertThat(closed.body().path("status").asString()).isEqualTo("deleted");
    assertThat(previews.preview(app, "pr-7").status()).isEqualTo(404);
    awaitGone(host, previewId, before);
    assertThat(router.get(app.host()).body()).contains("(main)");
  }

  @Test
  void aGitLabMergeRequestIsServedThenGoneWhenMerged() {
    Map<String, Long> before = previews.held();
    String head = forge.pullRequestHead(41, "refs/merge-requests/41/head", "merge request 41");

    forge.gitlabMergeRequest("open", 41, head).expect(202);

    String host = previews.host(app, "pr-41");
    awaitServing(host, "(merge request 41)");
    String previewId = previews.preview(app, "pr-41").json().path("appId").asString();
    forge.gitlabMergeRequest("merge", 41, head).expect(202);
    awaitGone(host, previewId, before);
  }

  /**
   * With room for one preview and the {@code replace-oldest} policy, pull request 18's preview
   * takes pull request 17's place: 17's host stops answering and leaves nothing; 18 is served. Then
   * with {@code refuse}, pull request 19 is refused. The project's bounds go back to their defaults
   * after, for the other tests of the class.
   */
  @Test
  void overTheQuotaTheNewestPullRequestReplacesTheOldestPreviewOrIsRefused() {
    previews.projectQuota(Map.of("previews", 1));
    previews.settings(Map.of("previewPolicy", "replace-oldest"));
    String oldest = forge.pullRequestHead(17, "refs/pull/17/head", "pull request 17");
    forge.githubPullRequest("opened", 17, oldest).expect(202);
    String oldestHost = previews.host(app, "pr-17");
    awaitServing(oldestHost, "(pull request 17)");
    String oldestId = previews.preview(app, "pr-17").json().path("appId").asString();

    String newest = forge.pullRequestHead(18, "refs/pull/18/head", "pull request 18");
    forge.githubPullRequest("opened", 18, newest).expect(202);

    assertThat(previews.preview(app, "pr-17").status()).isEqualTo(404);
    String newestHost = previews.host(app, "pr-18");
    awaitServing(newestHost, "(pull request 18)");
    awaitGone(oldestHost, oldestId, null);
    assertThat(previews.held().get("previews")).isOne();

    previews.settings(Map.of("previewPolicy", "refuse"));
    String refusedHead = forge.pullRequestHead(19, "refs/pull/19/head", "pull request 19");
    Forge.Answer refused = forge.githubPullRequest("opened", 19, refusedHead).expect(409);
    assertThat(refused.body().path("detail").asString())
        .isEqualTo(
            "The project '"
                + deployer.tenant()
                + "/web' quota for previews is 1: 1 in use, 1 requested");
    assertThat(previews.preview(app, "pr-19").status()).isEqualTo(404);
    assertThat(router.get(newestHost).body()).contains("(pull request 18)");

    String newestId = previews.preview(app, "pr-18").json().path("appId").asString();
    forge.githubPullRequest("closed", 18, newest).expect(202);
    awaitGone(newestHost, newestId, null);
    previews.projectQuota(Map.of());
    previews.settings(Map.of());
  }

  private void awaitServing(String host, String text) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Router.Answer answer = router.get(host);
              assertThat(answer.status()).as(answer.body()).isEqualTo(200);
              assertThat(answer.body()).contains(text);
            });
  }

  /**
   * Within the 30 s issue 25 allows: the host 404s, no container, route or image is left, and
   * (unless null) the project holds what it held {@code before} the preview: its reservations are
   * released and it no longer counts.
   */
  private void awaitGone(String host, String previewId, Map<String, Long> before) {
    // whether everything goes, not how fast: PreviewBenchmark measures closed -> gone against the
    // 30 s target; beside build-service's tests in CI the removal once took longer
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        // podman may fail a listing that races an image being removed: asked again on the next poll
        .ignoreExceptionsInstanceOf(IllegalStateException.class)
        .untilAsserted(
            () -> {
              assertThat(router.get(host).status()).isEqualTo(404);
              assertThat(leftovers.containers(previewId)).as("containers").isZero();
              assertThat(leftovers.routes(previewId)).as("routes").isZero();
              assertThat(leftovers.images(previewId)).as("images").isZero();
              if (before != null) {
                assertThat(previews.held()).as("quota held").isEqualTo(before);
              }
            });
  }
}
