package io.slipway.build.hook;

import static io.slipway.testing.SignedDeliveries.withoutInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.FakeForge;
import io.slipway.build.support.Json;
import io.slipway.build.support.RecordingBridge;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.PullRequestFixtures;
import io.slipway.testing.SignedDeliveries;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 25: pull and merge request deliveries (signed fixtures of GitHub, GitLab and Gitea) for an
 * external-git app whose repository is a local bare repository holding the forge's pull request
 * refs: the preview made in the real tenant-service, the head fetched from the app's own source and
 * built with real buildah, the deploy asked of runtime-bridge (a recording stand-in here), and the
 * preview deleted when the pull request closes.
 */
class PullRequestWebhookIT extends BuildServiceTest {

  // the RUN step tells whether the sandbox's relay to the egress proxy is there; $((40+2)) keeps
  // the command's own echo in the log from matching
  private static final String CONTAINERFILE =
      """
      FROM scratch
      COPY busybox /bin/busybox
      RUN ["/bin/busybox", "sh", "-c", "/bin/busybox nc -w 2 127.0.0.1 3128 </dev/null \
      && echo proxy-open-$((40+2)) || echo proxy-closed-$((40+2))"]
      COPY www /www
      USER 65534
      CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
      """;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final RecordingBridge BRIDGE = new RecordingBridge();
  private static final FakeForge FORGE = new FakeForge();
  private static final String TOKEN = "ghp_commitStatusToken0123456789";
  // the key slipway.build.secret-key replaced: 32 bytes, base64
  private static final String OLD_KEY = "b2xkLXNsaXB3YXktYnVpbGQta2V5LTMyLWJ5dGVzISE=";

  @Autowired JdbcClient jdbc;
  @Autowired ForgeTokens tokens;
  @Autowired ForgeTokenResealer resealer;

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenancy;
  private Path external;
  private Path checkout;
  private String secret;

  @DynamicPropertySource
  static void runtimeBridge(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.runtime-bridge-url", BRIDGE::url);
    // the fake forge, on loopback, is allowed at its own port only (not loopback at large), over
    // http; retries come quickly
    registry.add("slipway.build.commit-status.allowed-hosts", () -> "127.0.0.1:" + FORGE.port());
    registry.add("slipway.build.commit-status.allow-http", () -> "true");
    registry.add("slipway.build.commit-status.retry-backoff", () -> "200ms");
    registry.add("slipway.build.commit-status.poll-interval", () -> "200ms");
    registry.add("slipway.build.previous-secret-keys", () -> OLD_KEY);
  }

  @AfterAll
  static void stopBridge() {
    BRIDGE.stop();
    FORGE.stop();
  }

  @BeforeEach
  void setUp() throws IOException {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
    external = work.resolve("external.git");
    Files.createDirectories(external);
    git.ok(external, "init", "-q", "--bare", "-b", "main");
    checkout = work.resolve("checkout");
    Files.createDirectories(checkout);
    Files.copy(Path.of("/bin/busybox"), checkout.resolve("busybox"));
    git.newRepository(
        checkout, Map.of("Containerfile", CONTAINERFILE, "www/index.html", "<h1>main</h1>"));
    git.ok(checkout, "push", "-q", external.toString(), "main");
    createApp("ext", external.toUri().toString());
    secret = secret("ext");
    BRIDGE.answerPending();
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void commitStatusIsOffUntilSetThenPostedPendingSuccessAndFailureWithRetries(CapturedOutput output)
      throws Exception {
    BRIDGE.answerLive("https://pr.apps.example.test");
    // off by default: a whole build and deploy, and no request reaches the forge
    String unreported = pullRequestCommit(6, "refs/pull/6/head", "<h1>six</h1>");
    assertThat(
            deliver(
                    "ext",
                    github(PullRequestFixtures.github("opened", 6, unreported, false), "cs-6"))
                .statusCode())
        .isEqualTo(202);
    assertThat(awaitEnded("pr-6--ext", 1).path("status").asString()).isEqualTo("succeeded");
    images.add(tenancy.image(IMAGE_PREFIX, "pr-6--ext") + ":" + unreported);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(BRIDGE.request(at("pr-6--ext"), unreported)).isNotNull());
    assertThat(FORGE.about(unreported)).isEmpty();
    assertThat(commitStatus(tenancy.owner.jwt(), "ext").json().path("tokenSet").asBoolean())
        .isFalse();

    Json.Response set =
        Json.put(
            tenancy.member("developer").jwt(),
            commitStatusUrl(tenancy.tenant, "ext"),
            Map.of("forge", "github", "apiUrl", FORGE.url() + "/", "token", TOKEN));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).doesNotContain(TOKEN);
    assertThat(set.json().path("forge").asString()).isEqualTo("github");
    assertThat(set.json().path("apiUrl").asString()).isEqualTo(FORGE.url());
    assertThat(set.json().path("tokenSet").asBoolean()).isTrue();

    // the first attempt of the pending status gets a 500: it is posted again
    FORGE.answerNext(500);
    String head = pullRequestCommit(7, "refs/pull/7/head", "<h1>seven</h1>");
    openAndAwaitStatuses(7, head, "pending", "pending", "success");
    String repository = "/repos/" + work.getFileName() + "/external/statuses/" + head;
    String builds = "https://portal.example.test/t/" + tenancy.tenant + "/p/web/a/";
    FakeForge.Received pending = FORGE.about(head).get(1);
    assertThat(pending.path()).isEqualTo(repository);
    assertThat(pending.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(pending.body().path("context").asString()).isEqualTo("slipway/ext");
    assertThat(pending.body().path("target_url").asString())
        .isEqualTo(builds + "pr-7--ext/builds/1");
    FakeForge.Received success = FORGE.about(head).get(2);
    assertThat(success.body().path("target_url").asString())
        .isEqualTo("https://pr.apps.example.test");
    assertThat(success.body().path("description").asString()).isEqualTo("Build #1 is live");
    images.add(tenancy.image(IMAGE_PREFIX, "pr-7--ext") + ":" + head);

    // a build that fails: failure, pointing at the build's page, with no build output
    String broken =
        pullRequestCommit(
            8,
            "refs/pull/8/head",
            Map.of(
                "Containerfile",
                CONTAINERFILE.replace(
                    "COPY www /www",
                    "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo broken-output; exit 3\"]\nCOPY www /www")));
    openAndAwaitStatuses(8, broken, "pending", "failure");
    FakeForge.Received failure = FORGE.about(broken).get(1);
    assertThat(failure.body().path("target_url").asString())
        .isEqualTo(builds + "pr-8--ext/builds/1");
    assertThat(failure.body().path("description").asString())
        .isEqualTo("Build #1 failed: see its log on Slipway");
    assertThat(tenancy.log(baseUrl(), "pr-8--ext", 1)).contains("broken-output");

    // the last delivery shows; the token shows nowhere
    JsonNode shown = commitStatus(tenancy.owner.jwt(), "ext").json();
    assertThat(shown.path("lastDelivery").path("state").asString()).isEqualTo("failure");
    assertThat(shown.path("lastDelivery").path("outcome").asString())
        .isEqualTo("forge answered 201");
    assertThat(shown.toString()).doesNotContain(TOKEN);
    assertThat(FORGE.about(unreported)).isEmpty();
    assertThat(tenancy.log(baseUrl(), "pr-7--ext", 1)).doesNotContain(TOKEN);
    assertThat(tenancy.log(baseUrl(), "pr-8--ext", 1)).doesNotContain(TOKEN);
    assertThat(output.getAll()).doesNotContain(TOKEN);

    // turned off: nothing more is posted
    Json.Response deleted =
        Json.send(tenancy.owner.jwt(), "DELETE", commitStatusUrl(tenancy.tenant, "ext"), null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    assertThat(commitStatus(tenancy.owner.jwt(), "ext").json().path("tokenSet").asBoolean())
        .isFalse();
  }

  @Test
  void aTokenSealedUnderThePreviousKeyIsResealedUnderTheCurrentOne() {
    Json.Response set =
        Json.put(
            tenancy.owner.jwt(),
            commitStatusUrl(tenancy.tenant, "ext"),
            Map.of("forge", "gitea", "apiUrl", FORGE.url(), "token", TOKEN));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    String appId = tenancy.ids("ext").appId();
    // as a build-service before the rotation sealed it
    jdbc.sql("update commit_status_setting set token_sealed = :s where app_id = :id")
        .param("s", new ForgeTokens(OLD_KEY, "").seal(TOKEN, appId))
        .param("id", appId)
        .update();
    assertThat(tokens.underAnotherKey(sealedToken(appId))).isTrue();

    assertThat(resealer.reseal()).isEqualTo(1);

    String resealed = sealedToken(appId);
    assertThat(tokens.underAnotherKey(resealed)).isFalse();
    assertThat(tokens.open(resealed, appId)).contains(TOKEN);
    assertThat(resealer.reseal()).isZero();
  }

  private String sealedToken(String appId) {
    return jdbc.sql("select token_sealed from commit_status_setting where app_id = :id")
        .param("id", appId)
        .query(String.class)
        .single();
  }

  @Test
  void anotherTenantsDeveloperAViewerAndHostileApiUrlsChangeNothing() throws Exception {
    Map<String, Object> setting = Map.of("forge", "gitlab", "apiUrl", FORGE.url(), "token", TOKEN);
    Tenancy other = new Tenancy(TestTenantService.url());
    String missing = commitStatusUrl(tenancy.tenant, "nope");
    Json.Response missingApp = Json.get(other.owner.jwt(), missing);
    assertThat(missingApp.status()).isEqualTo(404);
    for (String method : new String[] {"GET", "PUT", "DELETE"}) {
      Json.Response attack =
          Json.send(
              other.owner.jwt(),
              method,
              commitStatusUrl(tenancy.tenant, "ext"),
              method.equals("PUT") ? setting : null);
      assertThat(attack.status()).as(method).isEqualTo(404);
      assertThat(withoutInstance(attack.body()))
          .as(method)
          .isEqualTo(withoutInstance(missingApp.body()));
    }

    Json.Response viewer =
        Json.put(tenancy.member("viewer").jwt(), commitStatusUrl(tenancy.tenant, "ext"), setting);
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(viewer.json().path("detail").asString())
        .isEqualTo(
            "Reading or changing commit status needs the developer or tenant-admin role in "
                + tenancy.tenant);

    Json.Response hosted =
        Json.put(tenancy.owner.jwt(), commitStatusUrl(tenancy.tenant, "site"), setting);
    assertThat(hosted.status()).isEqualTo(422);
    assertThat(hosted.json().path("type").asString()).endsWith("/not-external-git");

    for (String url :
        new String[] {
          "http://127.0.0.1:2019", "http://169.254.169.254/", "https://[::1]/", "https://localhost/"
        }) {
      Json.Response refused =
          Json.put(
              tenancy.owner.jwt(),
              commitStatusUrl(tenancy.tenant, "ext"),
              Map.of("forge", "github", "apiUrl", url, "token", TOKEN));
      assertThat(refused.status()).as(url).isEqualTo(400);
      assertThat(refused.json().path("type").asString()).as(url).endsWith("/bad-api-url");
      assertThat(refused.json().path("detail").asString())
          .as(url)
          .startsWith("apiUrl refused: the host ");
    }
    assertThat(commitStatus(tenancy.owner.jwt(), "ext").json().path("tokenSet").asBoolean())
        .isFalse();
  }

  @Test
  void aGitHubPullRequestIsBuiltAsItsPreviewAgainOnNewCommitsAndDeletedWhenClosed()
      throws Exception {
    String first = pullRequestCommit(7, "refs/pull/7/head", "<h1>pull request 7</h1>");

    HttpResponse<String> opened =
        deliver("ext", github(PullRequestFixtures.github("opened", 7, first, false), "gh-o"));

    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
    JsonNode outcome = JSON.readTree(opened.body());
    assertThat(outcome.path("status").asString()).isEqualTo("queued");
    assertThat(outcome.path("build").asInt()).isEqualTo(1);
    assertThat(outcome.path("commitId").asString()).isEqualTo(first);
    assertThat(outcome.path("url").asString())
        .isEqualTo(
            "http://builds.example.test/api/v1/tenants/"
                + tenancy.tenant
                + "/projects/web/apps/pr-7--ext/builds/1");
    JsonNode preview = preview("ext", "pr-7").json();
    assertThat(preview.path("pullRequest").asInt()).isEqualTo(7);
    assertThat(preview.path("branch").asString()).isEqualTo("feature/basket-total");
    assertThat(preview.path("commit").asString()).isEqualTo(first);
    assertThat(preview.path("createdBy").asString()).isEqualTo("github webhook (octocat)");
    // a redelivery answers the first build
    HttpResponse<String> again =
        deliver("ext", github(PullRequestFixtures.github("opened", 7, first, false), "gh-o"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("status").asString()).isEqualTo("duplicate");

    JsonNode build = awaitEnded("pr-7--ext", 1);
    String log = tenancy.log(baseUrl(), "pr-7--ext", 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(build.path("commitId").asString()).isEqualTo(first);
    assertThat(build.path("ref").asString()).isEqualTo("refs/pull/7/head");
    assertThat(build.path("pushedBy").asString()).isEqualTo("github webhook (octocat)");
    assertThat(build.path("fork").asBoolean()).isFalse();
    assertThat(log).contains("proxy-open-42");
    images.add(tenancy.image(IMAGE_PREFIX, "pr-7--ext") + ":" + first);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(BRIDGE.request(at("pr-7--ext"), first)).isNotNull());
    assertThat(BRIDGE.request(at("pr-7--ext"), first).has("fork")).isFalse();
    // the app itself got nothing: its deploy branch neither built nor moved
    assertThat(builds("ext").path("total").asLong()).isZero();

    // new commits: a new build of exactly the new head; a delivery naming the old head is refused
    String second = pullRequestCommit(7, "refs/pull/7/head", "<h1>second</h1>");
    HttpResponse<String> stale =
        deliver("ext", github(PullRequestFixtures.github("synchronize", 7, first, false), "gh-x"));
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(422);
    assertThat(JSON.readTree(stale.body()).path("type").asString()).endsWith("/commit-not-found");
    HttpResponse<String> synchronize =
        deliver("ext", github(PullRequestFixtures.github("synchronize", 7, second, false), "gh-s"));
    assertThat(synchronize.statusCode()).as(synchronize.body()).isEqualTo(202);
    assertThat(JSON.readTree(synchronize.body()).path("build").asInt()).isEqualTo(2);
    assertThat(awaitEnded("pr-7--ext", 2).path("commitId").asString()).isEqualTo(second);
    images.add(tenancy.image(IMAGE_PREFIX, "pr-7--ext") + ":" + second);
    assertThat(preview("ext", "pr-7").json().path("commit").asString()).isEqualTo(second);

    // closed: the preview goes, and its builds with its app.deleted event
    HttpResponse<String> closed =
        deliver("ext", github(PullRequestFixtures.github("closed", 7, second, false), "gh-c"));
    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(202);
    assertThat(JSON.readTree(closed.body()).path("status").asString()).isEqualTo("deleted");
    assertThat(preview("ext", "pr-7").status()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        Json.get(
                                tenancy.owner.jwt(),
                                tenancy.buildsUrl(baseUrl(), "pr-7--ext") + "/1")
                            .status())
                    .isEqualTo(404));
    HttpResponse<String> closedAgain =
        deliver("ext", github(PullRequestFixtures.github("closed", 7, second, false), "gh-c2"));
    assertThat(closedAgain.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(closedAgain.body()).path("reason").asString())
        .isEqualTo("pull request 7 has no preview: nothing to delete");
  }

  @Test
  void gitLabAndGiteaRequestsMakeAndDeleteTheirPreviews() throws Exception {
    setProjectQuota(Map.of("concurrentBuilds", 0)); // the builds stay queued: this is about events
    String mr = pullRequestCommit(41, "refs/merge-requests/41/head", "<h1>merge request</h1>");
    String pr = pullRequestCommit(3, "refs/pull/3/head", "<h1>gitea</h1>");

    HttpResponse<String> opened =
        deliver("ext", gitlab(PullRequestFixtures.gitlab("open", 41, mr, false, null), "gl-o"));
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
    assertThat(JSON.readTree(opened.body()).path("status").asString()).isEqualTo("queued");
    assertThat(preview("ext", "pr-41").json().path("createdBy").asString())
        .isEqualTo("gitlab webhook (octocat)");
    HttpResponse<String> retitled =
        deliver("ext", gitlab(PullRequestFixtures.gitlab("update", 41, mr, false, null), "gl-u"));
    assertThat(JSON.readTree(retitled.body()).path("reason").asString())
        .isEqualTo(
            "the merge request action update without new commits changes no code: nothing to"
                + " build");
    HttpResponse<String> updated =
        deliver(
            "ext",
            gitlab(PullRequestFixtures.gitlab("update", 41, mr, false, "f".repeat(40)), "gl-n"));
    assertThat(JSON.readTree(updated.body()).path("build").asInt()).isEqualTo(2);

    HttpResponse<String> gitea =
        deliver("ext", gitea(PullRequestFixtures.gitea("opened", 3, pr, false), "gt-o"));
    assertThat(gitea.statusCode()).as(gitea.body()).isEqualTo(202);
    assertThat(JSON.readTree(gitea.body()).path("commitId").asString()).isEqualTo(pr);
    assertThat(
            Json.get(tenancy.owner.jwt(), tenancy.buildsUrl(baseUrl(), "pr-3--ext") + "/1")
                .json()
                .path("ref")
                .asString())
        .isEqualTo("refs/pull/3/head");

    HttpResponse<String> merged =
        deliver("ext", gitlab(PullRequestFixtures.gitlab("merge", 41, mr, false, null), "gl-m"));
    assertThat(JSON.readTree(merged.body()).path("status").asString()).isEqualTo("deleted");
    HttpResponse<String> closed =
        deliver("ext", gitea(PullRequestFixtures.gitea("closed", 3, pr, false), "gt-c"));
    assertThat(JSON.readTree(closed.body()).path("status").asString()).isEqualTo("deleted");
    assertThat(preview("ext", "pr-41").status()).isEqualTo(404);
    assertThat(preview("ext", "pr-3").status()).isEqualTo(404);
  }

  @Test
  void aForksPullRequestIsIgnoredUnlessAllowedThenBuiltWithoutEgressAndDeployedWithoutSecrets()
      throws Exception {
    // the fork leaves something in a RUN cache that the tenant's own builds also mount
    String head =
        pullRequestCommit(
            9,
            "refs/pull/9/head",
            Map.of(
                "www/index.html",
                "<h1>from a fork</h1>",
                "Containerfile",
                withCacheStep("echo poisoned-by-a-fork > /deps/marker")));
    String body = PullRequestFixtures.github("opened", 9, head, true);

    HttpResponse<String> ignored = deliver("ext", github(body, "fork-1"));

    assertThat(ignored.statusCode()).as(ignored.body()).isEqualTo(202);
    assertThat(JSON.readTree(ignored.body()).path("status").asString()).isEqualTo("ignored");
    assertThat(JSON.readTree(ignored.body()).path("reason").asString())
        .isEqualTo(
            "pull request 9 comes from a fork: a fork's pull request gets no preview unless the"
                + " project allows forks (allowForks in its preview-settings)");
    assertThat(preview("ext", "pr-9").status()).isEqualTo(404);

    Json.Response allowed =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/projects/web/preview-settings",
            Map.of("allowForks", true));
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    HttpResponse<String> queued = deliver("ext", github(body, "fork-2"));
    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);

    JsonNode build = awaitEnded("pr-9--ext", 1);
    String log = tenancy.log(baseUrl(), "pr-9--ext", 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(build.path("fork").asBoolean()).isTrue();
    // the tenant's egress is on, yet the fork's build had no relay to the proxy
    assertThat(log)
        .contains("Building in a sandbox: no network (a pull request from a fork builds with")
        .contains("proxy-closed-42")
        .doesNotContain("proxy-open-42");
    images.add(tenancy.image(IMAGE_PREFIX, "pr-9--ext") + ":" + head);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(BRIDGE.request(at("pr-9--ext"), head)).isNotNull());
    assertThat(BRIDGE.request(at("pr-9--ext"), head).path("fork").asBoolean()).isTrue();

    // the tenant's own pull request mounts the same cache id: the fork's sandbox had its own
    String own =
        pullRequestCommit(
            10,
            "refs/pull/10/head",
            Map.of(
                "Containerfile",
                withCacheStep("cat /deps/marker 2>/dev/null || echo cache-clean-$((40+2))")));
    HttpResponse<String> ours =
        deliver("ext", github(PullRequestFixtures.github("opened", 10, own, false), "own-10"));
    assertThat(ours.statusCode()).as(ours.body()).isEqualTo(202);
    JsonNode ownBuild = awaitEnded("pr-10--ext", 1);
    String ownLog = tenancy.log(baseUrl(), "pr-10--ext", 1);
    assertThat(ownBuild.path("status").asString()).as(ownLog).isEqualTo("succeeded");
    assertThat(ownLog).contains("cache-clean-42").doesNotContain("poisoned-by-a-fork");
    images.add(tenancy.image(IMAGE_PREFIX, "pr-10--ext") + ":" + own);

    // and the forks' sandbox goes with its tenant
    String forks = BuildSandbox.sandboxOf(tenancy.ids().tenantId(), true);
    assertThat(Commands.buildersOf(forks)).isNotEmpty();
    tenancy.delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(Commands.buildersOf(forks)).isEmpty());
  }

  /** The app's Containerfile with a step that runs {@code script} with a RUN cache at /deps. */
  private static String withCacheStep(String script) {
    return CONTAINERFILE.replace(
        "COPY www /www",
        "RUN --mount=type=cache,id=deps,target=/deps [\"/bin/busybox\", \"sh\", \"-c\", \""
            + script
            + "\"]\nCOPY www /www");
  }

  @Test
  void aBadSignatureOrAnotherTenantsAppLearnsNothingAndAFullQuotaIsRefused() throws Exception {
    String head = pullRequestCommit(5, "refs/pull/5/head", "<h1>five</h1>");
    String body = PullRequestFixtures.github("opened", 5, head, false);

    HttpResponse<String> bad = deliver("ext", github(body, "wrong", "b-1"));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(bad.body()).path("type").asString()).endsWith("/bad-signature");
    // another tenant's external-git app at its own path, signed with this app's valid secret
    Tenancy other = new Tenancy(TestTenantService.url());
    Json.Response created =
        Json.post(
            other.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + other.tenant + "/projects/web/apps",
            Map.of(
                "name", "ext", "source", "external-git", "sourceRef", external.toUri().toString()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    HttpResponse<String> elsewhere =
        send("/hooks/" + other.tenant + "/web/ext", github(body, secret, "b-2"));
    assertThat(elsewhere.statusCode()).isEqualTo(401);
    assertThat(withoutInstance(elsewhere.body())).isEqualTo(withoutInstance(bad.body()));
    assertThat(
            Json.get(
                    other.owner.jwt(),
                    TestTenantService.url()
                        + "/api/v1/tenants/"
                        + other.tenant
                        + "/projects/web/apps/ext/previews")
                .json()
                .path("total")
                .asLong())
        .isZero();
    assertThat(preview("ext", "pr-5").status()).isEqualTo(404);

    // over the previews quota: the refusal names it, and nothing is built
    setProjectQuota(Map.of("previews", 0));
    HttpResponse<String> full = deliver("ext", github(body, "q-1"));
    assertThat(full.statusCode()).as(full.body()).isEqualTo(409);
    JsonNode problem = JSON.readTree(full.body());
    assertThat(problem.path("type").asString()).endsWith("/quota-exceeded");
    assertThat(problem.path("detail").asString())
        .isEqualTo(
            "The project '"
                + tenancy.tenant
                + "/web' quota for previews is 0: 0 in use, 1 requested");
    assertThat(preview("ext", "pr-5").status()).isEqualTo(404);
    assertThat(
            Json.get(tenancy.owner.jwt(), tenancy.buildsUrl(baseUrl(), "pr-5--ext") + "/1")
                .status())
        .isEqualTo(404);
  }

  /**
   * Commits a change to {@code index.html} on a branch of its own and pushes it to the external
   * repository's {@code ref}, as the forge keeps a pull request's head; returns the commit.
   */
  private String pullRequestCommit(int number, String ref, String html) throws IOException {
    return pullRequestCommit(number, ref, Map.of("www/index.html", html));
  }

  private String pullRequestCommit(int number, String ref, Map<String, String> files)
      throws IOException {
    git.ok(checkout, "checkout", "-q", "-B", "pr-" + number, "main");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(checkout.resolve(file.getKey()), file.getValue());
    }
    git.ok(checkout, "commit", "-qam", "pull request " + number);
    git.ok(checkout, "push", "-q", "-f", external.toString(), "HEAD:" + ref);
    return git.ok(checkout, "rev-parse", "HEAD");
  }

  private HttpRequest.Builder github(String body, String delivery) {
    return github(body, secret, delivery);
  }

  private static HttpRequest.Builder github(String body, String secret, String delivery) {
    return SignedDeliveries.github("pull_request", body, secret, delivery);
  }

  private HttpRequest.Builder gitlab(String body, String delivery) {
    return SignedDeliveries.gitlab("Merge Request Hook", body, secret, delivery);
  }

  private HttpRequest.Builder gitea(String body, String delivery) {
    return SignedDeliveries.gitea("pull_request", body, secret, delivery);
  }

  private HttpResponse<String> deliver(String app, HttpRequest.Builder request) throws Exception {
    return send("/hooks/" + tenancy.tenant + "/web/" + app, request);
  }

  private HttpResponse<String> send(String path, HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.uri(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void createApp(String name, String sourceRef) {
    Json.Response created =
        Json.post(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps",
            Map.of("name", name, "source", "external-git", "sourceRef", sourceRef));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  private String secret(String app) {
    Json.Response response =
        Json.get(
            tenancy.owner.jwt(),
            baseUrl()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/projects/web/apps/"
                + app
                + "/webhook");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("secret").asString();
  }

  /** Opens pull request {@code number} at {@code head} and awaits the forge's statuses of it. */
  private void openAndAwaitStatuses(int number, String head, String... states) throws Exception {
    HttpResponse<String> opened =
        deliver(
            "ext",
            github(PullRequestFixtures.github("opened", number, head, false), "cs-" + number));
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(FORGE.about(head))
                    .extracting(FakeForge.Received::state)
                    .containsExactly(states));
  }

  private String commitStatusUrl(String tenant, String app) {
    return baseUrl() + "/api/v1/tenants/" + tenant + "/projects/web/apps/" + app + "/commit-status";
  }

  private Json.Response commitStatus(String jwt, String app) {
    Json.Response response = Json.get(jwt, commitStatusUrl(tenancy.tenant, app));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response;
  }

  private Json.Response preview(String app, String name) {
    return Json.get(
        tenancy.owner.jwt(),
        TestTenantService.url()
            + "/api/v1/tenants/"
            + tenancy.tenant
            + "/projects/web/apps/"
            + app
            + "/previews/"
            + name);
  }

  private JsonNode builds(String app) {
    return Json.get(tenancy.owner.jwt(), tenancy.buildsUrl(baseUrl(), app)).json();
  }

  private JsonNode awaitEnded(String app, int number) {
    return tenancy.awaitEnded(baseUrl(), app, number, Duration.ofSeconds(120));
  }

  private String at(String app) {
    return tenancy.tenant + "/web/" + app;
  }

  private void setProjectQuota(Map<String, Object> limits) {
    Json.Response set =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/quota",
            limits);
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }
}
