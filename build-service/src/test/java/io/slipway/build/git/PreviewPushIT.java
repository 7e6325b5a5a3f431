package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.RecordingBridge;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.build.support.Tenancy.User;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 25: a plain {@code git push} to {@code preview/<name>} over real HTTP makes the preview in
 * the real tenant-service, builds the static sample with real buildah as the preview's own app and
 * asks runtime-bridge (a recording stand-in here, as no runtime runs in build-service's tests) to
 * deploy it; deleting the branch deletes the preview and, through the {@code app.deleted} event,
 * its builds and images.
 */
@ExtendWith(StaticBase.class)
class PreviewPushIT extends BuildServiceTest {

  private static final Path SAMPLE =
      Path.of("..", "samples", "static-site").toAbsolutePath().normalize();
  private static final RecordingBridge BRIDGE = new RecordingBridge();

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenancy;

  @DynamicPropertySource
  static void runtimeBridge(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.runtime-bridge-url", BRIDGE::url);
  }

  @AfterAll
  static void stopBridge() {
    BRIDGE.stop();
  }

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
  }

  @Test
  void aPushToAPreviewBranchBuildsAndDeploysThePreviewUntilTheBranchIsDeleted() throws Exception {
    Path repo = staticSample("site");
    String first = git.ok(repo, "rev-parse", "HEAD");

    GitCli.Result push = git.run(repo, "push", url(tenancy.owner), "HEAD:preview/feature-x");

    assertThat(push.exitCode()).as(push.output()).isZero();
    assertThat(push.output())
        .contains(
            "Slipway: build #1 of "
                + first.substring(0, 12)
                + " queued for "
                + at("feature-x--site"));
    JsonNode preview = preview("feature-x").json();
    assertThat(preview.path("app").asString()).isEqualTo("feature-x--site");
    assertThat(preview.path("branch").asString()).isEqualTo("preview/feature-x");
    assertThat(preview.path("commit").asString()).isEqualTo(first);
    assertThat(preview.path("createdBy").asString()).isEqualTo(tenancy.owner.name());
    String appId = preview.path("appId").asString();
    assertThat(appId).isNotEqualTo(tenancy.ids().appId());

    // its own build, of the parent's repository at the pushed commit, on the parent's stack
    JsonNode build = awaitEnded("feature-x--site", 1);
    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("succeeded");
    assertThat(build.path("appId").asString()).isEqualTo(appId);
    assertThat(build.path("commitId").asString()).isEqualTo(first);
    String image = tenancy.image(IMAGE_PREFIX, "feature-x--site") + ":" + first;
    images.add(image);
    assertThat(build.path("image").asString()).isEqualTo(image);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(BRIDGE.deploys).contains(at("feature-x--site") + "@" + first));
    assertThat(BRIDGE.deploys).noneMatch(deploy -> deploy.startsWith(at("site") + "@"));
    // the parent app got no build from it
    assertThat(Json.get(tenancy.owner.jwt(), builds("site")).json().path("total").asLong())
        .isZero();

    // the last push wins: a second one builds again and is recorded on the preview
    Files.writeString(repo.resolve("index.html"), "<h1>second</h1>\n");
    git.ok(repo, "commit", "-qam", "second");
    String second = git.ok(repo, "rev-parse", "HEAD");
    assertThat(git.run(repo, "push", url(tenancy.owner), "HEAD:preview/feature-x").exitCode())
        .isZero();
    assertThat(preview("feature-x").json().path("commit").asString()).isEqualTo(second);
    JsonNode again = awaitEnded("feature-x--site", 2);
    assertThat(again.path("commitId").asString()).isEqualTo(second);
    images.add(tenancy.image(IMAGE_PREFIX, "feature-x--site") + ":" + second);

    // another branch is pushed as today: no preview, no build
    GitCli.Result other = git.run(repo, "push", url(tenancy.owner), "HEAD:feature-y");
    assertThat(other.exitCode()).as(other.output()).isZero();
    assertThat(other.output()).doesNotContain("queued");
    assertThat(previews().path("total").asLong()).isEqualTo(1);

    // deleting the branch deletes the preview, and its app.deleted event its builds and images
    GitCli.Result deleted = git.run(repo, "push", url(tenancy.owner), ":preview/feature-x");
    assertThat(deleted.exitCode()).as(deleted.output()).isZero();
    assertThat(deleted.output())
        .contains(
            "Slipway: preview feature-x deleted: its app feature-x--site stops, and its builds and"
                + " images are removed");
    assertThat(preview("feature-x").status()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(Commands.imageNames()).doesNotContain(image);
              assertThat(Json.get(tenancy.owner.jwt(), builds("feature-x--site") + "/1").status())
                  .isEqualTo(404);
            });
  }

  @Test
  void aPreviewNameOutsideTheRuleIsRejectedWithTheRule() {
    Path repo = staticSample("bad");

    GitCli.Result push =
        git.run(repo, "push", url(tenancy.owner), "HEAD:preview/a--b", "HEAD:preview/Upper");

    assertThat(push.exitCode()).as(push.output()).isNotZero();
    assertThat(push.output())
        .contains(
            "preview name 'a--b' not allowed: a preview's name is a DNS-1123 label of at most 21"
                + " characters (lower-case letters, digits and '-', starting and ending with a"
                + " letter or digit) without '--'; push to preview/<name>, e.g."
                + " preview/feature-x")
        .contains("preview name 'Upper' not allowed");
    assertThat(previews().path("total").asLong()).isZero();
  }

  @Test
  void aFullPreviewsQuotaRejectsThatRefAloneAndNothingIsBuilt() {
    Json.Response quota =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/projects/"
                + tenancy.project
                + "/quota",
            Map.of("previews", 0));
    assertThat(quota.status()).as(quota.body()).isEqualTo(200);
    Path repo = staticSample("full");

    GitCli.Result push =
        git.run(repo, "push", url(tenancy.owner), "HEAD:main", "HEAD:preview/feature-x");

    assertThat(push.exitCode()).as(push.output()).isNotZero();
    assertThat(push.output())
        .contains(
            "preview 'feature-x' refused: The project '"
                + tenancy.tenant
                + "/"
                + tenancy.project
                + "' quota for previews is 0: 0 in use, 1 requested")
        .contains("queued for " + at("site"));
    assertThat(git.run(repo, "ls-remote", url(tenancy.owner)).output())
        .contains("refs/heads/main")
        .doesNotContain("preview/feature-x");
    assertThat(previews().path("total").asLong()).isZero();
    assertThat(
            Json.get(tenancy.owner.jwt(), builds("feature-x--site")).json().path("total").asLong())
        .isZero();
    // the deploy branch's build of the same push went on
    String commit = git.ok(repo, "rev-parse", "HEAD");
    assertThat(awaitEnded("site", 1).path("commitId").asString()).isEqualTo(commit);
    images.add(tenancy.image(IMAGE_PREFIX, "site") + ":" + commit);
  }

  @Test
  void aDeveloperOfAnotherTenantCannotPushAPreviewOfThisApp() {
    Tenancy other = new Tenancy(TestTenantService.url());
    Path repo = staticSample("stranger");

    GitCli.Result push = git.run(repo, "push", url(other.owner), "HEAD:preview/feature-x");

    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output()).contains("repository not found").doesNotContain("preview");
    assertThat(previews().path("total").asLong()).isZero();
  }

  @Test
  void aViewerCannotPushAPreview() {
    User viewer = tenancy.member("viewer");
    Path repo = staticSample("viewer");

    GitCli.Result push = git.run(repo, "push", url(viewer), "HEAD:preview/feature-x");

    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output()).contains("pushing needs developer or tenant-admin");
    assertThat(previews().path("total").asLong()).isZero();
  }

  private Path staticSample(String name) {
    try {
      return git.newRepository(
          work.resolve(name), Map.of("index.html", Files.readString(SAMPLE.resolve("index.html"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String url(User user) {
    return "http://git:" + user.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath();
  }

  private String at(String app) {
    return tenancy.tenant + "/" + tenancy.project + "/" + app;
  }

  private String previewsUrl() {
    return TestTenantService.url()
        + "/api/v1/tenants/"
        + tenancy.tenant
        + "/projects/"
        + tenancy.project
        + "/apps/site/previews";
  }

  private Json.Response preview(String name) {
    return Json.get(tenancy.owner.jwt(), previewsUrl() + "/" + name);
  }

  private JsonNode previews() {
    return Json.get(tenancy.owner.jwt(), previewsUrl()).json();
  }

  private String builds(String app) {
    return tenancy.buildsUrl(baseUrl(), app);
  }

  private JsonNode awaitEnded(String app, int number) {
    return tenancy.awaitEnded(baseUrl(), app, number, Duration.ofSeconds(120));
  }
}
