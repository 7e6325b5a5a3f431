package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Tenants, projects, apps and members through the REST API, on real PostgreSQL. */
class CatalogApiIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";

  @Test
  void createsTenantProjectAndAppAndListsThem() {
    String alice = user(unique("alice"));
    String tenant = unique("acme");

    Response created = api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.raw().headers().firstValue("Location"))
        .hasValue("/api/v1/tenants/" + tenant);
    assertThat(created.json().path("role").asString()).isEqualTo("tenant-admin");
    assertThat(created.json().path("displayName").asString()).isEqualTo(tenant);

    Response project =
        api.post(
            alice,
            "/api/v1/tenants/" + tenant + "/projects",
            Map.of("name", "web", "displayName", "The web shop"));
    assertThat(project.status()).isEqualTo(201);
    Response app =
        api.post(alice, "/api/v1/tenants/" + tenant + "/projects/web/apps", Map.of("name", "api"));
    assertThat(app.status()).isEqualTo(201);
    assertThat(app.json().path("source").asString()).isEqualTo("hosted-git");
    Response image =
        api.post(
            alice,
            "/api/v1/tenants/" + tenant + "/projects/web/apps",
            Map.of("name", "cache", "source", "image", "sourceRef", "localhost/cache:1"));
    assertThat(image.status()).isEqualTo(201);

    Response apps = api.get(alice, "/api/v1/tenants/" + tenant + "/projects/web/apps");
    assertThat(apps.json().path("total").asLong()).isEqualTo(2);
    assertThat(apps.json().path("items").valueStream().map(a -> a.path("name").asString()))
        .containsExactly("api", "cache");
    Response mine = api.get(alice, "/api/v1/tenants");
    assertThat(names(mine.json())).containsExactly(tenant);
    Response one = api.get(alice, "/api/v1/tenants/" + tenant + "/projects/web");
    assertThat(one.json().path("displayName").asString()).isEqualTo("The web shop");
  }

  @Test
  void duplicatesAreConflicts() {
    String alice = user(unique("alice"));
    String tenant = unique("dup");
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    Response again = api.post(user(unique("other")), "/api/v1/tenants", Map.of("name", tenant));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problemType()).isEqualTo(PROBLEMS + "already-exists");
    // only "taken": no owner, no display name, no hint about the tenant that holds it
    assertThat(again.json().path("detail").asString())
        .isEqualTo("The tenant name '" + tenant + "' is taken; choose another");
    assertThat(again.text()).doesNotContain("alice", "createdBy", "displayName");

    api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", "web"));
    assertThat(
            api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", "web"))
                .status())
        .isEqualTo(409);
    api.post(alice, "/api/v1/tenants/" + tenant + "/projects/web/apps", Map.of("name", "api"));
    Response dupApp =
        api.post(alice, "/api/v1/tenants/" + tenant + "/projects/web/apps", Map.of("name", "api"));
    assertThat(dupApp.status()).isEqualTo(409);
    assertThat(dupApp.json().path("detail").asString()).contains(tenant + "/web/api");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Acme", "-acme", "acme-", "ac_me", "ac.me", "", "abcdefghijklmnopqrstu", "äcme"})
  void badTenantNamesAreRefusedWithAProblem(String name) {
    Response response = api.post(user(unique("alice")), "/api/v1/tenants", Map.of("name", name));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problemType()).isEqualTo(PROBLEMS + "invalid-request");
    assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
    assertThat(response.json().path("detail").asString()).contains("DNS-1123");
  }

  @Test
  void appNamesHaveTheirOwnLimitAndSourcesAreChecked() {
    String alice = user(unique("alice"));
    String tenant = unique("lim");
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", "web"));
    String apps = "/api/v1/tenants/" + tenant + "/projects/web/apps";

    assertThat(api.post(alice, apps, Map.of("name", "a".repeat(21))).status()).isEqualTo(201);
    assertThat(api.post(alice, apps, Map.of("name", "a".repeat(22))).status()).isEqualTo(400);
    Response noRef = api.post(alice, apps, Map.of("name", "img", "source", "image"));
    assertThat(noRef.status()).isEqualTo(422);
    assertThat(noRef.problemType()).isEqualTo(PROBLEMS + "invalid-source");
    Response vm = api.post(alice, apps, Map.of("name", "box", "source", "vm"));
    assertThat(vm.status()).isEqualTo(201);
    assertThat(vm.json().path("source").asString()).isEqualTo("vm");
    assertThat(api.get(alice, apps + "/box").json().path("source").asString()).isEqualTo("vm");
    Response vmWithRef =
        api.post(alice, apps, Map.of("name", "box2", "source", "vm", "sourceRef", "disk"));
    assertThat(vmWithRef.status()).isEqualTo(422);
    assertThat(vmWithRef.json().path("detail").asString()).contains("VM app takes no sourceRef");
    Response badSource = api.post(alice, apps, Map.of("name", "x", "source", "ftp"));
    assertThat(badSource.status()).isEqualTo(400);
    assertThat(badSource.problemType()).isEqualTo(PROBLEMS + "malformed-body");
  }

  @Test
  void malformedBodiesMissingFieldsAndReservedNamesAreRefused() {
    String alice = user(unique("alice"));
    Response notJson = api.post(alice, "/api/v1/tenants", "{\"name\": ");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.problemType()).isEqualTo(PROBLEMS + "malformed-body");

    Response missing = api.post(alice, "/api/v1/tenants", Map.of("displayName", "x"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("detail").asString()).contains("name");

    Response longDisplay =
        api.post(
            alice, "/api/v1/tenants", Map.of("name", unique("d"), "displayName", "x".repeat(101)));
    assertThat(longDisplay.status()).isEqualTo(400);

    Response reserved = api.post(alice, "/api/v1/tenants", Map.of("name", "kube-system"));
    assertThat(reserved.status()).isEqualTo(422);
    assertThat(reserved.problemType()).isEqualTo(PROBLEMS + "reserved-name");

    Response badPage = api.get(alice, "/api/v1/tenants?size=100000");
    assertThat(badPage.status()).isEqualTo(422);
    Response notANumber = api.get(alice, "/api/v1/tenants?page=abc");
    assertThat(notANumber.status()).isEqualTo(400);
  }

  @Test
  void rolesDecideWhatMembersMayDo() {
    String aliceName = unique("alice");
    String alice = user(aliceName);
    String viewerName = unique("carol");
    String developerName = unique("dave");
    String viewer = user(viewerName);
    String developer = user(developerName);
    String tenant = unique("roles");
    String base = "/api/v1/tenants/" + tenant;
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));

    assertThat(api.put(alice, base + "/members/" + viewerName, Map.of("role", "viewer")).status())
        .isEqualTo(200);
    assertThat(
            api.put(alice, base + "/members/" + developerName, Map.of("role", "developer"))
                .status())
        .isEqualTo(200);
    assertThat(api.put(alice, base + "/members/x", Map.of("role", "owner")).status())
        .isEqualTo(400);

    // viewer: reads, never writes
    assertThat(api.get(viewer, base).status()).isEqualTo(200);
    Response viewerWrite = api.post(viewer, base + "/projects", Map.of("name", "web"));
    assertThat(viewerWrite.status()).isEqualTo(403);
    assertThat(viewerWrite.json().path("detail").asString()).contains("developer", "viewer");

    // developer: projects and apps, not members or deletion of projects
    assertThat(api.post(developer, base + "/projects", Map.of("name", "web")).status())
        .isEqualTo(201);
    assertThat(api.post(developer, base + "/projects/web/apps", Map.of("name", "a")).status())
        .isEqualTo(201);
    assertThat(api.get(viewer, base + "/projects/web/apps/a").status()).isEqualTo(200);
    assertThat(
            api.put(developer, base + "/members/" + viewerName, Map.of("role", "tenant-admin"))
                .status())
        .isEqualTo(403);
    assertThat(api.delete(developer, base + "/projects/web").status()).isEqualTo(403);
    assertThat(api.delete(developer, base + "/projects/web/apps/a").status()).isEqualTo(204);

    // tenant-admin: members and deletion; a tenant keeps its last admin
    Response demote = api.put(alice, base + "/members/" + aliceName, Map.of("role", "viewer"));
    assertThat(demote.status()).isEqualTo(409);
    assertThat(demote.problemType()).isEqualTo(PROBLEMS + "last-admin");
    assertThat(api.delete(alice, base + "/members/" + aliceName).status()).isEqualTo(409);
    assertThat(api.delete(viewer, base + "/members/" + viewerName).status()).isEqualTo(204);
    assertThat(api.get(viewer, base).status()).isEqualTo(404);
    Response members = api.get(alice, base + "/members");
    assertThat(members.json().path("items").valueStream().map(m -> m.path("username").asString()))
        .containsExactlyInAnyOrder(aliceName, developerName);

    // a developer may not delete the tenant; its admin deletes it with what it holds (issue 17)
    api.post(alice, base + "/projects/web/apps", Map.of("name", "b"));
    assertThat(api.delete(developer, base).status()).isEqualTo(403);
    assertThat(api.delete(alice, base).status()).isEqualTo(204);
    assertThat(api.get(alice, base).status()).isEqualTo(404);
    assertThat(api.get(alice, base + "/projects/web/apps/b").status()).isEqualTo(404);
    assertThat(api.get(developer, base + "/projects/web").status()).isEqualTo(404);
  }

  @Test
  void anotherTenantsObjectsAreNotFoundNeverShown() {
    String alice = user(unique("alice"));
    String bob = user(unique("bob"));
    String tenant = unique("secret");
    String base = "/api/v1/tenants/" + tenant;
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant, "displayName", "Top secret"));
    api.post(alice, base + "/projects", Map.of("name", "web"));
    api.post(alice, base + "/projects/web/apps", Map.of("name", "api"));
    api.post(bob, "/api/v1/tenants", Map.of("name", unique("bobs")));

    Map<String, Object> member = Map.of("role", "tenant-admin");
    Map<String, Object> project = Map.of("name", "evil");
    Map<String, Object> reservation =
        Map.of("idempotencyKey", "k", "project", "web", "replicas", 1);
    Response[] attempts = {
      api.get(bob, base),
      api.patch(bob, base, Map.of("displayName", "pwned")),
      api.delete(bob, base),
      api.get(bob, base + "/members"),
      api.put(bob, base + "/members/bob", member),
      api.delete(bob, base + "/members/alice"),
      api.get(bob, base + "/projects"),
      api.post(bob, base + "/projects", project),
      api.get(bob, base + "/projects/web"),
      api.delete(bob, base + "/projects/web"),
      api.get(bob, base + "/projects/web/apps"),
      api.post(bob, base + "/projects/web/apps", Map.of("name", "x")),
      api.get(bob, base + "/projects/web/apps/api"),
      api.delete(bob, base + "/projects/web/apps/api"),
      api.get(bob, base + "/quota"),
      api.get(bob, base + "/projects/web/quota"),
      api.put(bob, base + "/projects/web/quota", Map.of("replicas", 1)),
      api.get(bob, base + "/usage"),
      api.get(bob, base + "/audit"),
      api.get(bob, base + "/reservations"),
      api.post(bob, base + "/reservations", reservation),
      api.delete(bob, base + "/reservations/k"),
    };
    for (Response attempt : attempts) {
      assertThat(attempt.status()).as(attempt.raw().request().toString()).isEqualTo(404);
      // the same answer as for a tenant that does not exist, and none of the tenant's data
      assertThat(attempt.json().path("detail").asString())
          .isEqualTo("tenant '" + tenant + "' was not found");
      assertThat(attempt.text()).doesNotContain("Top secret", "createdAt", "items");
    }
    // a tenant that does not exist answers exactly like one that is hidden
    String nowhere = unique("nope");
    assertThat(api.get(bob, "/api/v1/tenants/" + nowhere).json().path("detail").asString())
        .isEqualTo("tenant '" + nowhere + "' was not found");
    assertThat(names(api.get(bob, "/api/v1/tenants").json())).doesNotContain(tenant);
    // and the project still exists for its owner
    assertThat(api.get(alice, base + "/projects/web/apps/api").status()).isEqualTo(200);
  }

  @Test
  void everyChangeIsAuditedWithBeforeAndAfter() {
    String aliceName = unique("alice");
    String alice = user(aliceName);
    String tenant = unique("aud");
    String base = "/api/v1/tenants/" + tenant;
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    api.patch(alice, base, Map.of("displayName", "Audited Inc"));
    api.post(alice, base + "/projects", Map.of("name", "web"));

    Response trail = api.get(alice, base + "/audit");
    assertThat(trail.status()).isEqualTo(200);
    JsonNode items = trail.json().path("items");
    assertThat(items.valueStream().map(e -> e.path("action").asString()))
        .containsExactly("project.created", "tenant.updated", "tenant.created");
    JsonNode update = items.get(1);
    assertThat(update.path("actor").asString()).isEqualTo(aliceName);
    assertThat(update.path("before").path("displayName").asString()).isEqualTo(tenant);
    assertThat(update.path("after").path("displayName").asString()).isEqualTo("Audited Inc");
    assertThat(update.path("at").asString()).isNotBlank();

    Response admin = api.get(platformAdmin("root"), "/api/v1/admin/audit?tenant=" + tenant);
    assertThat(admin.json().path("total").asLong()).isEqualTo(3);
    assertThat(api.get(alice, "/api/v1/admin/audit").status()).isEqualTo(403);
  }

  private static java.util.List<String> names(JsonNode page) {
    return page.path("items").valueStream().map(t -> t.path("name").asString()).toList();
  }
}
