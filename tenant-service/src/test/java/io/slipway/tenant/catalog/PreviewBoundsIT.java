package io.slipway.tenant.catalog;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.EventFeed;
import io.slipway.tenant.support.ServiceTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The bounds a tenant chooses for previews (issue 25): the TTL reaper, driven with its own instant,
 * and the over-quota policy, on the real service and PostgreSQL.
 */
class PreviewBoundsIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @Autowired PreviewReaper reaper;

  private final String root = platformAdmin("root");
  private String alice;
  private String bob;
  private String tenant;
  private String base;
  private String web;

  @BeforeEach
  void tenantWithAnApp() {
    String aliceName = unique("alice");
    String bobName = unique("bob");
    alice = user(aliceName);
    bob = user(bobName);
    tenant = unique("pb");
    base = "/api/v1/tenants/" + tenant;
    web = base + "/projects/shop/apps/web";
    assertThat(api.post(alice, "/api/v1/tenants", Map.of("name", tenant)).status()).isEqualTo(201);
    assertThat(api.post(alice, base + "/projects", Map.of("name", "shop")).status()).isEqualTo(201);
    assertThat(api.post(alice, base + "/projects/shop/apps", Map.of("name", "web")).status())
        .isEqualTo(201);
    assertThat(api.put(alice, base + "/members/" + bobName, Map.of("role", "developer")).status())
        .isEqualTo(200);
  }

  @Test
  void settingsAreReadByDevelopersSetByTenantAdminsAndValidated() {
    String settings = base + "/projects/shop/preview-settings";
    JsonNode defaults = api.get(bob, settings).json();
    assertThat(defaults.path("previewTtl").asString()).isEqualTo("7d");
    assertThat(defaults.path("previewTtlDefault").asBoolean()).isTrue();
    assertThat(defaults.path("previewPolicy").asString()).isEqualTo("refuse");
    assertThat(defaults.path("allowForks").asBoolean()).isFalse();

    Map<String, Object> chosen =
        Map.of("previewTtl", "PT36H", "previewPolicy", "replace-oldest", "allowForks", true);
    Response byDeveloper = api.put(bob, settings, chosen);
    assertThat(byDeveloper.status()).isEqualTo(403);
    Response set = api.put(alice, settings, chosen);
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.json().path("previewTtl").asString()).isEqualTo("36h");
    assertThat(set.json().path("previewTtlDefault").asBoolean()).isFalse();
    assertThat(api.get(bob, settings).json().path("previewPolicy").asString())
        .isEqualTo("replace-oldest");
    assertThat(api.get(bob, settings).json().path("allowForks").asBoolean()).isTrue();

    for (Object ttl : List.of("59m", "91d", "forever", "7 d", "", "x".repeat(40))) {
      Response bad = api.put(alice, settings, Map.of("previewTtl", ttl));
      assertThat(bad.status()).as("previewTtl %s", ttl).isEqualTo(400);
      assertThat(bad.problemType()).isEqualTo(PROBLEMS + "invalid-request");
      assertThat(bad.text()).contains("previewTtl");
    }
    Response badPolicy = api.put(alice, settings, Map.of("previewPolicy", "stop-oldest"));
    assertThat(badPolicy.status()).isEqualTo(400);
    assertThat(badPolicy.json().path("errors").get(0).path("field").asString())
        .isEqualTo("previewPolicy");
    Response badForks = api.put(alice, settings, Map.of("allowForks", "sometimes"));
    assertThat(badForks.status()).isEqualTo(400);
    // refused changes changed nothing
    assertThat(api.get(bob, settings).json().path("previewTtl").asString()).isEqualTo("36h");

    // left out: back to the defaults
    JsonNode reset = api.put(alice, settings, Map.of()).json();
    assertThat(reset.path("previewTtl").asString()).isEqualTo("7d");
    assertThat(reset.path("previewPolicy").asString()).isEqualTo("refuse");
    assertThat(reset.path("allowForks").asBoolean()).isFalse();

    Response trail =
        api.get(root, "/api/v1/admin/audit?tenant=" + tenant + "&action=preview-settings.updated");
    assertThat(trail.json().path("total").asLong()).isEqualTo(2);

    // another tenant's project does not exist for an outsider, in either direction of the call
    String mallory = user(unique("mallory"));
    Response read = api.get(mallory, settings);
    assertThat(read.status()).isEqualTo(404);
    Response write = api.put(mallory, settings, chosen);
    assertThat(write.status()).isEqualTo(404);
    assertThat(write.problemType()).isEqualTo(PROBLEMS + "not-found");
    assertThat(api.get(bob, base + "/projects/nope/preview-settings").status()).isEqualTo(404);
  }

  @Test
  void theReaperDeletesOnlyPreviewsIdlePastTheirTtlAndAPushKeepsOne() {
    assertThat(
            api.put(alice, base + "/projects/shop/preview-settings", Map.of("previewTtl", "1h"))
                .status())
        .isEqualTo(200);
    // a second project keeps the platform default, 7d
    assertThat(api.post(alice, base + "/projects", Map.of("name", "other")).status())
        .isEqualTo(201);
    assertThat(api.post(alice, base + "/projects/other/apps", Map.of("name", "api")).status())
        .isEqualTo(201);
    String stale = api.put(alice, web + "/previews/pr-1", null).json().path("appId").asString();
    api.put(alice, web + "/previews/pr-2", null);
    api.put(alice, base + "/projects/other/apps/api/previews/pr-3", null);
    // pr-2 is pushed again: its idle time starts anew
    Instant pushed =
        Instant.parse(
            api.put(alice, web + "/previews/pr-2", Map.of("commit", COMMIT))
                .json()
                .path("updatedAt")
                .asString());
    long before = last();

    // an hour after the push: pr-1 has been idle longer, pr-2 exactly that long, pr-3 is in 7d
    List<String> reaped = reaper.reap(pushed.plus(Duration.ofHours(1)));
    assertThat(reaped).contains(stale);
    assertThat(api.get(alice, web + "/previews/pr-1").status()).isEqualTo(404);
    assertThat(api.get(alice, web + "/previews/pr-2").status()).isEqualTo(200);
    assertThat(api.get(alice, base + "/projects/other/apps/api/previews/pr-3").status())
        .isEqualTo(200);
    assertThat(api.get(alice, web).status()).isEqualTo(200);

    List<JsonNode> events = ours(before);
    assertThat(events).hasSize(1);
    assertThat(events.getFirst().path("type").asString()).isEqualTo("app.deleted");
    assertThat(events.getFirst().path("appId").asString()).isEqualTo(stale);
    assertThat(events.getFirst().path("app").asString()).isEqualTo("pr-1--web");

    JsonNode audit =
        api.get(root, "/api/v1/admin/audit?tenant=" + tenant + "&action=preview.expired")
            .json()
            .path("items");
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.get(0).path("actor").asString()).isEqualTo("system:preview-reaper");
    assertThat(audit.get(0).path("target").asString()).isEqualTo(tenant + "/shop/pr-1--web");
    assertThat(audit.get(0).path("after").path("previewTtl").asString()).isEqualTo("1h");
    assertThat(audit.get(0).path("before").path("appId").asString()).isEqualTo(stale);

    // a second pass at the same instant finds nothing more of this tenant's
    long after = last();
    assertThat(reaper.reap(pushed.plus(Duration.ofHours(1)))).doesNotContain(stale);
    assertThat(ours(after)).isEmpty();
    // once pr-2 too is idle past the hour it goes, and pr-3 stays until its 7 days are up
    reaper.reap(pushed.plus(Duration.ofHours(1)).plusSeconds(1));
    assertThat(api.get(alice, web + "/previews/pr-2").status()).isEqualTo(404);
    assertThat(api.get(alice, base + "/projects/other/apps/api/previews/pr-3").status())
        .isEqualTo(200);
    assertThat(ours(after)).extracting(e -> e.path("app").asString()).containsExactly("pr-2--web");
  }

  @Test
  void refuseIsTheDefaultAndReplaceOldestDeletesTheLeastRecentlyUpdated() {
    for (String name : List.of("pr-1", "pr-2", "pr-3")) {
      assertThat(api.put(alice, web + "/previews/" + name, null).status()).isEqualTo(201);
    }
    Response refused = api.put(alice, web + "/previews/pr-4", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + "quota-exceeded");

    assertThat(
            api.put(
                    alice,
                    base + "/projects/shop/preview-settings",
                    Map.of("previewPolicy", "replace-oldest"))
                .status())
        .isEqualTo(200);
    // pr-1 is pushed again, so pr-2 is now the least recently updated
    api.put(alice, web + "/previews/pr-1", Map.of("commit", COMMIT));
    String oldest = api.get(alice, web + "/previews/pr-2").json().path("appId").asString();
    long before = last();

    Response replaced = api.put(bob, web + "/previews/pr-4", null);
    assertThat(replaced.status()).isEqualTo(201);
    assertThat(names()).containsExactlyInAnyOrder("pr-1", "pr-3", "pr-4");
    List<JsonNode> events = ours(before);
    assertThat(events).hasSize(1);
    assertThat(events.getFirst().path("type").asString()).isEqualTo("app.deleted");
    assertThat(events.getFirst().path("appId").asString()).isEqualTo(oldest);

    JsonNode audit =
        api.get(root, "/api/v1/admin/audit?tenant=" + tenant + "&action=preview.replaced")
            .json()
            .path("items");
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.get(0).path("target").asString()).isEqualTo(tenant + "/shop/pr-2--web");
    assertThat(audit.get(0).path("after").path("reason").asString())
        .isEqualTo("replaced-by-pr-4--web");
    assertThat(audit.get(0).path("actor").asString()).isNotEqualTo("system:preview-reaper");

    // an existing preview at the limit is answered as it is, nothing replaced
    long again = last();
    assertThat(api.put(alice, web + "/previews/pr-3", null).status()).isEqualTo(200);
    assertThat(ours(again)).isEmpty();
  }

  @Test
  void twentyConcurrentCreatesOverAFullQuotaNeverExceedIt() throws Exception {
    assertThat(api.post(alice, base + "/projects/shop/apps", Map.of("name", "api")).status())
        .isEqualTo(201);
    api.put(
        alice, base + "/projects/shop/preview-settings", Map.of("previewPolicy", "replace-oldest"));
    for (String name : List.of("old-1", "old-2", "old-3")) {
      assertThat(api.put(alice, web + "/previews/" + name, null).status()).isEqualTo(201);
    }
    long before = last();
    List<Response> answers = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
      List<Future<Response>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String app = i % 2 == 0 ? "web" : "api";
        String path = base + "/projects/shop/apps/" + app + "/previews/new-" + i;
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.put(alice, path, null);
                }));
      }
      start.countDown();
      for (Future<Response> call : calls) {
        answers.add(call.get());
      }
    }
    // each create replaced one preview and took its slot
    assertThat(answers).extracting(Response::status).containsOnly(201);
    JsonNode quota = api.get(alice, base + "/projects/shop/quota").json();
    assertThat(quota.path("used").path("previews").asLong()).isEqualTo(3);
    List<JsonNode> events = ours(before);
    assertThat(events).hasSize(20);
    assertThat(events).extracting(e -> e.path("appId").asString()).doesNotHaveDuplicates();
    // the survivors are three of the newcomers
    List<String> left = new ArrayList<>(names());
    left.addAll(names("api"));
    assertThat(left).hasSize(3).allMatch(name -> name.startsWith("new-"));
  }

  private List<String> names() {
    return names("web");
  }

  private List<String> names(String app) {
    return api.get(alice, base + "/projects/shop/apps/" + app + "/previews")
        .json()
        .path("items")
        .valueStream()
        .map(p -> p.path("name").asString())
        .toList();
  }

  /** This tenant's events after {@code after}. */
  private List<JsonNode> ours(long after) {
    return EventFeed.of(api, tenant, after);
  }

  private long last() {
    return EventFeed.last(api);
  }
}
