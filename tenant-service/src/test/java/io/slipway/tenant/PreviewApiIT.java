package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.EventFeed;
import io.slipway.tenant.support.ServiceTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Preview environments (issue 25), the catalog's part: a preview is an app with a parent, named
 * {@code <preview>--<app>}, answered by every per-app lookup, counted under its own quota, and
 * deleted with the event an app's deletion writes.
 */
class PreviewApiIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String NEXT_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

  private final String root = platformAdmin("root");
  private String alice;
  private String aliceName;
  private String tenant;
  private String base;
  private String web;

  @BeforeEach
  void tenantWithAnApp() {
    aliceName = unique("alice");
    alice = user(aliceName);
    tenant = unique("pv");
    base = "/api/v1/tenants/" + tenant;
    web = base + "/projects/shop/apps/web";
    assertThat(api.post(alice, "/api/v1/tenants", Map.of("name", tenant)).status()).isEqualTo(201);
    assertThat(api.post(alice, base + "/projects", Map.of("name", "shop")).status()).isEqualTo(201);
    assertThat(api.post(alice, base + "/projects/shop/apps", Map.of("name", "web")).status())
        .isEqualTo(201);
  }

  @Test
  void aPreviewIsCreatedOnceAndAnswersEverywhereAnAppDoes() {
    Map<String, Object> push = Map.of("pullRequest", 12, "branch", "feature/x", "commit", COMMIT);
    Response created = api.put(alice, web + "/previews/pr-12", push);
    assertThat(created.status()).isEqualTo(201);
    JsonNode preview = created.json();
    assertThat(preview.path("name").asString()).isEqualTo("pr-12");
    assertThat(preview.path("app").asString()).isEqualTo("pr-12--web");
    assertThat(preview.path("parent").asString()).isEqualTo("web");
    assertThat(preview.path("hostLabel").asString()).isEqualTo("pr-12--web--shop--" + tenant);
    assertThat(preview.path("appId").asString()).matches("a[a-z2-7]{11}");
    assertThat(preview.path("pullRequest").asInt()).isEqualTo(12);
    assertThat(preview.path("branch").asString()).isEqualTo("feature/x");
    assertThat(preview.path("commit").asString()).isEqualTo(COMMIT);

    // again without a body: the same preview, as it was
    Response again = api.put(alice, web + "/previews/pr-12", null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(preview);
    // a later push: what it tells replaces what was recorded, the rest is kept
    Response pushed = api.put(alice, web + "/previews/pr-12", Map.of("commit", NEXT_COMMIT));
    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().path("appId").asString()).isEqualTo(preview.path("appId").asString());
    assertThat(pushed.json().path("commit").asString()).isEqualTo(NEXT_COMMIT);
    assertThat(pushed.json().path("branch").asString()).isEqualTo("feature/x");
    assertThat(Instant.parse(pushed.json().path("updatedAt").asString()))
        .isAfter(Instant.parse(preview.path("updatedAt").asString()));

    assertThat(api.put(alice, web + "/previews/pr-13", null).status()).isEqualTo(201);
    Response list = api.get(alice, web + "/previews");
    assertThat(list.json().path("items").valueStream().map(p -> p.path("name").asString()))
        .containsExactly("pr-13", "pr-12");
    assertThat(api.get(alice, web + "/previews/pr-12").json().path("commit").asString())
        .isEqualTo(NEXT_COMMIT);

    // as an app: by its full name, through the lookup build-service and runtime-bridge make
    for (String caller : List.of(alice, service("build-service"), service("runtime-bridge"))) {
      Response asApp = api.get(caller, base + "/projects/shop/apps/pr-12--web");
      assertThat(asApp.status()).isEqualTo(200);
      assertThat(asApp.json().path("id").asString()).isEqualTo(preview.path("appId").asString());
      assertThat(asApp.json().path("hostLabel").asString())
          .isEqualTo(preview.path("hostLabel").asString());
      assertThat(asApp.json().path("parent").asString()).isEqualTo("web");
    }
    assertThat(api.get(alice, web).json().path("parent").isNull()).isTrue();
    // not an app of the project's list
    assertThat(
            api.get(alice, base + "/projects/shop/apps")
                .json()
                .path("items")
                .valueStream()
                .map(a -> a.path("name").asString()))
        .containsExactly("web");
    // its compute is reserved as an app's, and counts in its project
    Map<String, Object> compute =
        Map.of("idempotencyKey", "deploy-pr-12", "project", "shop", "app", "pr-12--web");
    Map<String, Object> reservation = new HashMap<>(compute);
    reservation.put("memoryMib", 256);
    assertThat(api.post(service("runtime-bridge"), base + "/reservations", reservation).status())
        .isEqualTo(201);
    assertThat(
            api.get(alice, base + "/projects/shop/quota")
                .json()
                .path("used")
                .path("memoryMib")
                .asLong())
        .isEqualTo(256);

    Response trail =
        api.get(root, "/api/v1/admin/audit?tenant=" + tenant + "&action=preview.created");
    assertThat(trail.json().path("items").valueStream().map(e -> e.path("target").asString()))
        .containsExactlyInAnyOrder(tenant + "/shop/pr-12--web", tenant + "/shop/pr-13--web");

    assertThat(api.delete(alice, web + "/previews/pr-12").status()).isEqualTo(204);
    assertThat(api.get(alice, web + "/previews/pr-12").status()).isEqualTo(404);
    assertThat(api.get(alice, base + "/projects/shop/apps/pr-12--web").status()).isEqualTo(404);
    Response gone = api.delete(alice, web + "/previews/pr-12");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.problemType()).isEqualTo(PROBLEMS + "not-found");
  }

  @Test
  void concurrentPutsOfOnePreviewCreateItOnceAndAnswerItToEveryone() throws Exception {
    List<Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Response>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(() -> api.put(alice, web + "/previews/pr-7", null)));
      }
      for (Future<Response> call : calls) {
        answers.add(call.get());
      }
    }
    assertThat(answers).extracting(Response::status).containsOnly(201, 200).containsOnlyOnce(201);
    assertThat(answers)
        .extracting(answer -> answer.json().path("appId").asString())
        .containsOnly(api.get(alice, web + "/previews/pr-7").json().path("appId").asString());
    assertThat(api.get(alice, web + "/previews").json().path("total").asLong()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pr", "a--b", "pr-45678901234567890xy", "-x", "x-", "pr_1"})
  void badPreviewNamesAreRefused(String name) {
    Response refused = api.put(alice, web + "/previews/" + name, null);
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + "invalid-request");
    assertThat(api.get(alice, web + "/previews").json().path("total").asLong()).isZero();
  }

  @Test
  void badPushDetailsAreRefusedNamingTheField() {
    for (Map<String, Object> body :
        List.of(
            Map.<String, Object>of("commit", "ABC"),
            Map.<String, Object>of("commit", COMMIT.toUpperCase(java.util.Locale.ROOT)),
            Map.<String, Object>of("pullRequest", 0),
            Map.<String, Object>of("branch", "a\nb"),
            Map.<String, Object>of("branch", "b".repeat(256)))) {
      Response refused = api.put(alice, web + "/previews/pr-1", body);
      assertThat(refused.status()).as(body.toString()).isEqualTo(400);
      assertThat(refused.problemType()).isEqualTo(PROBLEMS + "invalid-request");
      assertThat(refused.json().path("errors").valueStream().map(e -> e.path("field").asString()))
          .as(refused.text())
          .containsExactly(body.keySet().iterator().next());
    }
    assertThat(api.put(alice, web + "/previews/pr-1", "{\"pullRequest\": \"12\"}").status())
        .isEqualTo(400);
    assertThat(api.put(alice, web + "/previews/pr-1", "[1]").status()).isEqualTo(400);
    assertThat(api.get(alice, web + "/previews/pr-1").status()).isEqualTo(404);
  }

  @Test
  void aPreviewHostLongerThanOneLabelIsRefusedWithTheNumbers() {
    String longTenant = unique("long-tenant"); // 20 characters
    String project = "p".repeat(20);
    String apps = "/api/v1/tenants/" + longTenant + "/projects/" + project + "/apps";
    api.post(alice, "/api/v1/tenants", Map.of("name", longTenant));
    api.post(alice, "/api/v1/tenants/" + longTenant + "/projects", Map.of("name", project));
    // 15 + 2 + 20 + 2 + 20 = 59: the app fits, its preview pr-12 (66) does not
    assertThat(api.post(alice, apps, Map.of("name", "a".repeat(15))).status()).isEqualTo(201);
    Response tooLong = api.put(alice, apps + "/" + "a".repeat(15) + "/previews/pr-12", null);
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.problemType()).isEqualTo(PROBLEMS + "host-too-long");
    assertThat(tooLong.json().path("detail").asString())
        .contains("66 characters", "at most 63", "57 characters together");
    assertThat(tooLong.json().path("length").asInt()).isEqualTo(66);
    // pr (2 + 2 + 59 = 63) fits exactly
    Response fits = api.put(alice, apps + "/" + "a".repeat(15) + "/previews/pr", null);
    assertThat(fits.status()).isEqualTo(201);
    assertThat(fits.json().path("hostLabel").asString()).hasSize(63);
  }

  @Test
  void rolesAndTenantsDecideWhoMaySeeAndMakePreviews() {
    String viewerName = unique("vera");
    api.put(alice, base + "/members/" + viewerName, Map.of("role", "viewer"));
    String viewer = user(viewerName);
    assertThat(api.put(alice, web + "/previews/pr-1", null).status()).isEqualTo(201);

    Response denied = api.put(viewer, web + "/previews/pr-2", null);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.problemType()).isEqualTo(PROBLEMS + "forbidden");
    assertThat(api.delete(viewer, web + "/previews/pr-1").status()).isEqualTo(403);
    assertThat(api.get(viewer, web + "/previews/pr-1").status()).isEqualTo(200);
    assertThat(api.put(service("build-service"), web + "/previews/pr-2", null).status())
        .isEqualTo(403);

    // another tenant's previews do not exist for a stranger, who has an app of the same name
    String bob = user(unique("bob"));
    String bobs = unique("bobs");
    api.post(bob, "/api/v1/tenants", Map.of("name", bobs));
    api.post(bob, "/api/v1/tenants/" + bobs + "/projects", Map.of("name", "shop"));
    api.post(bob, "/api/v1/tenants/" + bobs + "/projects/shop/apps", Map.of("name", "web"));
    for (Response hidden :
        List.of(
            api.put(bob, web + "/previews/pr-1", null),
            api.get(bob, web + "/previews/pr-1"),
            api.get(bob, web + "/previews"),
            api.delete(bob, web + "/previews/pr-1"),
            api.get(bob, base + "/projects/shop/apps/pr-1--web"))) {
      assertThat(hidden.status()).isEqualTo(404);
      assertThat(hidden.json().path("detail").asString())
          .isEqualTo("tenant '" + tenant + "' was not found");
    }
    // a name only another tenant's app has is no app here
    assertThat(api.put(alice, base + "/projects/shop/apps/site/previews/pr-1", null).status())
        .isEqualTo(404);

    // a preview has no previews, and no app is named as one
    Response nested = api.put(alice, base + "/projects/shop/apps/pr-1--web/previews/x", null);
    assertThat(nested.status()).isEqualTo(404);
    assertThat(nested.json().path("detail").asString()).contains("is a preview of 'web'");
    assertThat(api.get(alice, base + "/projects/shop/apps/pr-1--web/previews").status())
        .isEqualTo(404);
    Response named = api.post(alice, base + "/projects/shop/apps", Map.of("name", "pr-2--web"));
    assertThat(named.status()).isEqualTo(400);
    assertThat(named.problemType()).isEqualTo(PROBLEMS + "invalid-request");
  }

  @Test
  void buildServiceMakesAndDeletesPushedPreviewsAsThePusherAndNoOneElseMay() {
    String internal = "/api/v1/internal/tenants/" + tenant + "/projects/shop/apps/web/previews/";
    Map<String, Object> push =
        Map.of("pushedBy", aliceName, "branch", "preview/feature-x", "commit", COMMIT);
    String buildService = service("build-service");

    Response made = api.put(buildService, internal + "feature-x", push);
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    assertThat(made.json().path("app").asString()).isEqualTo("feature-x--web");
    assertThat(made.json().path("createdBy").asString()).isEqualTo(aliceName);
    assertThat(made.json().path("branch").asString()).isEqualTo("preview/feature-x");
    Response again =
        api.put(
            buildService,
            internal + "feature-x",
            Map.of("pushedBy", aliceName, "branch", "preview/feature-x", "commit", NEXT_COMMIT));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("commit").asString()).isEqualTo(NEXT_COMMIT);

    // only build-service: not runtime-bridge, not the user herself, not a platform admin
    for (String caller : List.of(service("runtime-bridge"), alice, root)) {
      assertThat(api.put(caller, internal + "other", push).status()).isEqualTo(403);
      assertThat(api.delete(caller, internal + "feature-x?pushedBy=" + aliceName).status())
          .isEqualTo(403);
    }
    // the pusher named must be a developer now: a viewer is refused, a stranger finds nothing
    String viewerName = unique("vera");
    api.put(alice, base + "/members/" + viewerName, Map.of("role", "viewer"));
    Map<String, Object> byViewer =
        Map.of("pushedBy", viewerName, "branch", "preview/other", "commit", COMMIT);
    assertThat(api.put(buildService, internal + "other", byViewer).status()).isEqualTo(403);
    Map<String, Object> byStranger =
        Map.of("pushedBy", unique("mallory"), "branch", "preview/other", "commit", COMMIT);
    Response hidden = api.put(buildService, internal + "other", byStranger);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(api.get(alice, web + "/previews/other").status()).isEqualTo(404);
    // what a push tells is validated at the edge
    Response bad =
        api.put(buildService, internal + "other", Map.of("pushedBy", aliceName, "branch", "x"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text()).contains("commit");

    assertThat(api.delete(buildService, internal + "feature-x?pushedBy=" + viewerName).status())
        .isEqualTo(403);
    assertThat(api.delete(buildService, internal + "feature-x?pushedBy=" + aliceName).status())
        .isEqualTo(204);
    assertThat(api.get(alice, web + "/previews/feature-x").status()).isEqualTo(404);
  }

  @Test
  void aPullRequestsWebhookMakesOnlyPrPreviewsOfExternalGitAppsByBuildServicesOwnGrant() {
    assertThat(
            api.post(
                    alice,
                    base + "/projects/shop/apps",
                    Map.of(
                        "name",
                        "ext",
                        "source",
                        "external-git",
                        "sourceRef",
                        "https://git.example.test/shop.git"))
                .status())
        .isEqualTo(201);
    String internal = "/api/v1/internal/tenants/" + tenant + "/projects/shop/apps/";
    String buildService = service("build-service");
    Map<String, Object> opened = webhook(7, false);

    Response made = api.put(buildService, internal + "ext/previews/pr-7", opened);
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    assertThat(made.json().path("app").asString()).isEqualTo("pr-7--ext");
    assertThat(made.json().path("pullRequest").asInt()).isEqualTo(7);
    assertThat(made.json().path("createdBy").asString()).isEqualTo("github webhook (octocat)");
    JsonNode audited =
        api.get(root, "/api/v1/admin/audit?tenant=" + tenant + "&action=preview.created")
            .json()
            .path("items")
            .get(0);
    assertThat(audited.path("actor").asString()).isEqualTo("github webhook (octocat)");

    // the grant is bounded: pr-<N> of that N only, external-git apps only, never a user's name
    Response otherName = api.put(buildService, internal + "ext/previews/feature-x", opened);
    assertThat(otherName.status()).isEqualTo(422);
    assertThat(otherName.problemType()).isEqualTo(PROBLEMS + "not-a-pull-request-preview");
    assertThat(api.put(buildService, internal + "ext/previews/pr-8", opened).status())
        .isEqualTo(422);
    Response hosted = api.put(buildService, internal + "web/previews/pr-7", opened);
    assertThat(hosted.status()).isEqualTo(422);
    assertThat(hosted.problemType()).isEqualTo(PROBLEMS + "not-external-git");
    Map<String, Object> both = new HashMap<>(opened);
    both.put("pushedBy", aliceName);
    assertThat(api.put(buildService, internal + "ext/previews/pr-7", both).status()).isEqualTo(400);
    Map<String, Object> forged = new HashMap<>(opened);
    forged.put("webhook", "alice");
    assertThat(api.put(buildService, internal + "ext/previews/pr-7", forged).status())
        .isEqualTo(400);
    // the push path is as strict as before: a pull request number does not come with a pusher
    Map<String, Object> pushWithPr =
        Map.of("pushedBy", aliceName, "pullRequest", 7, "branch", "preview/pr-7", "commit", COMMIT);
    assertThat(api.put(buildService, internal + "ext/previews/pr-7", pushWithPr).status())
        .isEqualTo(400);
    for (String caller : List.of(service("runtime-bridge"), alice, root)) {
      assertThat(api.put(caller, internal + "ext/previews/pr-9", webhook(9, false)).status())
          .isEqualTo(403);
    }
    // another tenant's app is not found for the grant either
    assertThat(
            api.put(
                    buildService,
                    "/api/v1/internal/tenants/"
                        + unique("nope")
                        + "/projects/shop/apps/ext/previews/pr-7",
                    opened)
                .status())
        .isEqualTo(404);

    // a fork's pull request only where the project allows forks
    Response fork = api.put(buildService, internal + "ext/previews/pr-9", webhook(9, true));
    assertThat(fork.status()).isEqualTo(403);
    assertThat(fork.problemType()).isEqualTo(PROBLEMS + "forks-not-allowed");
    assertThat(fork.json().path("detail").asString()).contains("allowForks");
    Response allowed =
        api.put(alice, base + "/projects/shop/preview-settings", Map.of("allowForks", true));
    assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
    assertThat(allowed.json().path("allowForks").asBoolean()).isTrue();
    assertThat(api.put(buildService, internal + "ext/previews/pr-9", webhook(9, true)).status())
        .isEqualTo(201);

    // close: deleted by the same grant, which cannot delete a developer's own preview
    assertThat(api.put(alice, base + "/projects/shop/apps/ext/previews/feature-x", null).status())
        .isEqualTo(201);
    String asWebhook = "?webhook=github+webhook+(octocat)";
    assertThat(api.delete(buildService, internal + "ext/previews/feature-x" + asWebhook).status())
        .isEqualTo(422);
    assertThat(api.delete(buildService, internal + "ext/previews/pr-7").status()).isEqualTo(400);
    assertThat(api.delete(buildService, internal + "ext/previews/pr-7" + asWebhook).status())
        .isEqualTo(204);
    assertThat(api.delete(buildService, internal + "ext/previews/pr-7" + asWebhook).status())
        .isEqualTo(404);
    assertThat(api.get(alice, base + "/projects/shop/apps/ext/previews/feature-x").status())
        .isEqualTo(200);
  }

  private static Map<String, Object> webhook(int pullRequest, boolean fork) {
    return Map.of(
        "webhook",
        "github webhook (octocat)",
        "pullRequest",
        pullRequest,
        "fork",
        fork,
        "branch",
        "feature",
        "commit",
        COMMIT);
  }

  @Test
  void previewsHaveAQuotaOfTheirOwnApartFromApps() {
    // the tenant's apps are all taken (a body of the seven resources keeps previews as they are)
    Map<String, Object> limits = new HashMap<>();
    limits.putAll(Map.of("cpuMillicores", 4000, "memoryMib", 8192, "apps", 1, "replicas", 40));
    limits.putAll(Map.of("concurrentBuilds", 2, "buildMinutes", 1000, "storageMib", 20480));
    assertThat(api.put(root, base + "/quota", limits).status()).isEqualTo(200);
    assertThat(api.post(alice, base + "/projects/shop/apps", Map.of("name", "api")).status())
        .isEqualTo(409);

    for (String name : List.of("pr-1", "pr-2", "pr-3")) {
      assertThat(api.put(alice, web + "/previews/" + name, null).status()).isEqualTo(201);
    }
    Response fourth = api.put(alice, web + "/previews/pr-4", null);
    assertThat(fourth.status()).isEqualTo(409);
    assertThat(fourth.problemType()).isEqualTo(PROBLEMS + "quota-exceeded");
    assertThat(fourth.json().path("detail").asString())
        .isEqualTo(
            "The project '" + tenant + "/shop' quota for previews is 3: 3 in use, 1 requested");
    assertThat(fourth.json().path("resource").asString()).isEqualTo("previews");
    assertThat(fourth.json().path("limit").asLong()).isEqualTo(3);
    assertThat(fourth.json().path("used").asLong()).isEqualTo(3);
    // an existing preview is still answered at the limit
    assertThat(api.put(alice, web + "/previews/pr-3", null).status()).isEqualTo(200);

    JsonNode quota = api.get(alice, base + "/quota").json();
    assertThat(quota.path("limits").path("previews").asLong()).isEqualTo(10);
    assertThat(quota.path("used").path("previews").asLong()).isEqualTo(3);
    assertThat(quota.path("used").path("apps").asLong()).isEqualTo(1);
    JsonNode project = api.get(alice, base + "/projects/shop/quota").json();
    assertThat(project.path("limits").path("previews").isNull()).isTrue();
    assertThat(project.path("effective").path("previews").asLong()).isEqualTo(3);
    JsonNode usage = api.get(alice, base + "/usage").json();
    assertThat(usage.path("projects").path("items").get(0).path("used").path("previews").asLong())
        .isEqualTo(3);

    // the tenant-admin raises the project's previews: the fourth fits
    Response raised = api.put(alice, base + "/projects/shop/quota", Map.of("previews", 5));
    assertThat(raised.status()).isEqualTo(200);
    assertThat(raised.json().path("effective").path("previews").asLong()).isEqualTo(5);
    assertThat(api.put(alice, web + "/previews/pr-4", null).status()).isEqualTo(201);

    // the platform admin lowers the tenant's to 4: the project's is clamped, the fifth refused
    limits.put("previews", 4);
    assertThat(api.put(root, base + "/quota", limits).status()).isEqualTo(200);
    assertThat(
            api.get(alice, base + "/projects/shop/quota")
                .json()
                .path("limits")
                .path("previews")
                .asLong())
        .isEqualTo(4);
    Response fifth = api.put(alice, web + "/previews/pr-5", null);
    assertThat(fifth.status()).isEqualTo(409);
    assertThat(fifth.json().path("scope").asString()).isEqualTo("tenant '" + tenant + "'");
    assertThat(
            api.get(root, "/api/v1/admin/tenants?q=" + tenant + "&sort=previews,desc")
                .json()
                .path("items")
                .get(0)
                .path("used")
                .path("previews")
                .asLong())
        .isEqualTo(4);
  }

  @Test
  void deletingAPreviewOrItsAppWritesTheEventsAnAppsDeletionWrites() {
    String pr1 = api.put(alice, web + "/previews/pr-1", null).json().path("appId").asString();
    String pr2 = api.put(alice, web + "/previews/pr-2", null).json().path("appId").asString();
    String pr3 = api.put(alice, web + "/previews/pr-3", null).json().path("appId").asString();
    String webId = api.get(alice, web).json().path("id").asString();
    long start = last();

    assertThat(api.delete(alice, web + "/previews/pr-1").status()).isEqualTo(204);
    // through the app's own endpoint, as another service would
    assertThat(api.delete(alice, base + "/projects/shop/apps/pr-2--web").status()).isEqualTo(204);
    assertThat(api.put(alice, web + "/previews/pr-4", null).status()).isEqualTo(201);
    String pr4 = api.get(alice, web + "/previews/pr-4").json().path("appId").asString();
    assertThat(api.delete(alice, web).status()).isEqualTo(204);
    assertThat(api.get(alice, base + "/projects/shop/apps/pr-3--web").status()).isEqualTo(404);

    List<JsonNode> mine =
        events(start).stream().filter(e -> e.path("tenant").asString().equals(tenant)).toList();
    assertThat(mine)
        .allSatisfy(e -> assertThat(e.path("type").asString()).isEqualTo("app.deleted"));
    assertThat(mine)
        .extracting(e -> e.path("appId").asString())
        .containsExactly(pr1, pr2, pr3, pr4, webId);
    assertThat(mine)
        .extracting(e -> e.path("app").asString())
        .containsExactly("pr-1--web", "pr-2--web", "pr-3--web", "pr-4--web", "web");
    Response trail =
        api.get(root, "/api/v1/admin/audit?tenant=" + tenant + "&action=preview.deleted");
    assertThat(trail.json().path("total").asLong()).isEqualTo(4);

    // a project goes with its apps and their previews under one event
    api.post(alice, base + "/projects/shop/apps", Map.of("name", "web"));
    api.put(alice, web + "/previews/pr-1", null);
    long before = last();
    assertThat(api.delete(alice, base + "/projects/shop").status()).isEqualTo(204);
    assertThat(
            events(before).stream()
                .filter(e -> e.path("tenant").asString().equals(tenant))
                .map(e -> e.path("type").asString()))
        .containsExactly("project.deleted");
  }

  private long last() {
    return EventFeed.last(api);
  }

  private List<JsonNode> events(long after) {
    return EventFeed.after(api, after);
  }
}
