package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.EventFeed;
import io.slipway.tenant.support.ServiceTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The internal feed of deletions (issue 17): written with each deletion, read only by build-service
 * and runtime-bridge, in order, from a cursor.
 */
class CatalogEventFeedIT extends ServiceTest {

  private static final String FEED = "/api/v1/internal/events";
  private static final String APPS = "/api/v1/internal/apps";

  @Test
  void deletionsAreFedInOrderWithTheirIdsFromACursor() {
    String alice = user(unique("alice"));
    String tenant = unique("gone");
    String base = "/api/v1/tenants/" + tenant;
    long start = last();
    JsonNode tenantView = api.post(alice, "/api/v1/tenants", Map.of("name", tenant)).json();
    JsonNode web = api.post(alice, base + "/projects", Map.of("name", "web")).json();
    JsonNode api1 = api.post(alice, base + "/projects/web/apps", Map.of("name", "api")).json();
    api.post(alice, base + "/projects", Map.of("name", "ops"));
    JsonNode job = api.post(alice, base + "/projects/ops/apps", Map.of("name", "job")).json();
    api.post(alice, base + "/projects/web/apps", Map.of("name", "site"));

    // an app, then a project with an app in it, then the tenant with what is left
    assertThat(api.delete(alice, base + "/projects/web/apps/api").status()).isEqualTo(204);
    assertThat(api.delete(alice, base + "/projects/ops").status()).isEqualTo(204);
    assertThat(api.get(alice, base + "/projects/ops/apps/job").status()).isEqualTo(404);
    assertThat(api.delete(alice, base).status()).isEqualTo(204);
    assertThat(api.get(alice, base).status()).isEqualTo(404);

    List<JsonNode> mine =
        events(service("build-service"), start, 500).stream()
            .filter(e -> e.path("tenant").asString().equals(tenant))
            .toList();
    assertThat(mine)
        .extracting(e -> e.path("type").asString())
        .containsExactly("app.deleted", "project.deleted", "tenant.deleted");
    assertThat(mine.get(0).path("appId").asString()).isEqualTo(api1.path("id").asString());
    assertThat(mine.get(0).path("projectId").asString()).isEqualTo(web.path("id").asString());
    assertThat(mine.get(1).path("projectId").asString())
        .isEqualTo(job.path("projectId").asString());
    assertThat(mine.get(1).path("appId").isNull()).isTrue();
    assertThat(mine)
        .allSatisfy(
            e ->
                assertThat(e.path("tenantId").asString())
                    .isEqualTo(tenantView.path("id").asString()));
    assertThat(mine.get(0).path("seq").asLong()).isLessThan(mine.get(1).path("seq").asLong());

    // from the cursor of the second event, only the third is new
    List<JsonNode> afterSecond =
        events(service("runtime-bridge"), mine.get(1).path("seq").asLong(), 500).stream()
            .filter(e -> e.path("tenant").asString().equals(tenant))
            .toList();
    assertThat(afterSecond)
        .extracting(e -> e.path("type").asString())
        .containsExactly("tenant.deleted");
    Response page = api.get(service("runtime-bridge"), FEED + "?after=" + start + "&limit=1");
    assertThat(page.json().path("items")).hasSize(1);
    assertThat(page.json().path("next").asLong())
        .isEqualTo(page.json().path("items").get(0).path("seq").asLong());
  }

  @Test
  void onlyBuildServiceAndRuntimeBridgeMayReadTheFeed() {
    String name = unique("alice");
    String alice = user(name);
    String pat =
        api.post(
                alice,
                "/api/v1/tokens",
                Map.of("name", "feed", "scopes", List.of("api"), "expiresInDays", 1))
            .json()
            .path("token")
            .asString();
    for (String caller : List.of(alice, pat, platformAdmin(unique("root")), service("portal"))) {
      Response refused = api.get(caller, FEED);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.json().path("items").isMissingNode()).isTrue();
    }
    assertThat(api.get(null, FEED).status()).isEqualTo(401);
    assertThat(api.get(service("build-service"), FEED + "?limit=501").status()).isEqualTo(422);
    assertThat(api.get(service("build-service"), FEED + "?after=-1").status()).isEqualTo(422);
  }

  @Test
  void runtimeBridgeListsEveryAppWithItsIdsAndHostUntilItIsDeleted() {
    String alice = user(unique("alice"));
    String tenant = unique("apps");
    String base = "/api/v1/tenants/" + tenant;
    JsonNode tenantView = api.post(alice, "/api/v1/tenants", Map.of("name", tenant)).json();
    api.post(alice, base + "/projects", Map.of("name", "web"));
    JsonNode site = api.post(alice, base + "/projects/web/apps", Map.of("name", "site")).json();

    List<JsonNode> mine = apps(tenant);
    assertThat(mine).hasSize(1);
    JsonNode listed = mine.getFirst();
    assertThat(listed.path("appId").asString()).isEqualTo(site.path("id").asString());
    assertThat(listed.path("projectId").asString()).isEqualTo(site.path("projectId").asString());
    assertThat(listed.path("tenantId").asString()).isEqualTo(tenantView.path("id").asString());
    assertThat(listed.path("app").asString()).isEqualTo("site");
    assertThat(listed.path("project").asString()).isEqualTo("web");
    assertThat(listed.path("hostLabel").asString()).isEqualTo("site--web--" + tenant);

    assertThat(api.delete(alice, base + "/projects/web/apps/site").status()).isEqualTo(204);
    assertThat(apps(tenant)).isEmpty();

    for (String caller : List.of(alice, platformAdmin(unique("root")), service("build-service"))) {
      assertThat(api.get(caller, APPS).status()).isEqualTo(403);
    }
    assertThat(api.get(service("runtime-bridge"), APPS + "?limit=0").status()).isEqualTo(422);
  }

  /** Every page of the list, filtered to one tenant's apps. */
  private List<JsonNode> apps(String tenant) {
    List<JsonNode> mine = new java.util.ArrayList<>();
    String cursor = "";
    while (true) {
      Response page = api.get(service("runtime-bridge"), APPS + "?limit=2&after=" + cursor);
      assertThat(page.status()).isEqualTo(200);
      page.json()
          .path("items")
          .valueStream()
          .filter(a -> a.path("tenant").asString().equals(tenant))
          .forEach(mine::add);
      String next = page.json().path("next").asString();
      if (next.equals(cursor)) {
        return mine;
      }
      cursor = next;
    }
  }

  private long last() {
    return EventFeed.last(api);
  }

  private List<JsonNode> events(String token, long after, int limit) {
    Response page = api.get(token, FEED + "?after=" + after + "&limit=" + limit);
    assertThat(page.status()).isEqualTo(200);
    return page.json().path("items").valueStream().toList();
  }
}
