package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17: tenants, projects and apps get immutable opaque ids, apps a host label reserved for
 * them alone, and deletions are announced on the internal feed; on real PostgreSQL.
 */
class IdentityAndHostsIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";
  private static final String ID_REST = "[a-z2-7]{11}";

  @Autowired JdbcClient jdbc;

  @Test
  void namesThatUsedToCollideGetDistinctIdsAndHosts() {
    String alice = user(unique("alice"));
    String acme = unique("acme");
    String acmeWeb = acme + "-web";
    // acme/web-prod and acme-web/prod once shared the network and namespace acme-web-prod
    JsonNode first = app(alice, acme, "web-prod", "prod-api");
    JsonNode second = app(alice, acmeWeb, "prod", "prod-api");

    for (JsonNode app : List.of(first, second)) {
      assertThat(app.path("id").asString()).matches("a" + ID_REST);
      assertThat(app.path("projectId").asString()).matches("p" + ID_REST);
      assertThat(app.path("tenantId").asString()).matches("t" + ID_REST);
    }
    assertThat(first.path("hostLabel").asString())
        .isEqualTo("prod-api--web-prod--" + acme)
        .isNotEqualTo(second.path("hostLabel").asString());
    assertThat(second.path("hostLabel").asString()).isEqualTo("prod-api--prod--" + acmeWeb);
    assertThat(
            Stream.of("id", "projectId", "tenantId")
                .flatMap(f -> Stream.of(first.path(f).asString(), second.path(f).asString())))
        .doesNotHaveDuplicates();

    // the ids are what the tenant, project and app answers say, and they never change
    JsonNode tenant = api.get(alice, "/api/v1/tenants/" + acme).json();
    assertThat(tenant.path("id").asString()).isEqualTo(first.path("tenantId").asString());
    api.patch(alice, "/api/v1/tenants/" + acme, Map.of("displayName", "Renamed"));
    assertThat(api.get(alice, "/api/v1/tenants/" + acme).json().path("id").asString())
        .isEqualTo(tenant.path("id").asString());
    JsonNode project = api.get(alice, "/api/v1/tenants/" + acme + "/projects/web-prod").json();
    assertThat(project.path("id").asString()).isEqualTo(first.path("projectId").asString());
    assertThat(project.path("tenantId").asString()).isEqualTo(tenant.path("id").asString());
  }

  @Test
  void aServiceLooksUpAnAppsIdsAndHostInOneCall() {
    String alice = user(unique("alice"));
    String tenant = unique("look");
    JsonNode created = app(alice, tenant, "web", "site");
    Response looked =
        api.get(service("runtime-bridge"), "/api/v1/tenants/" + tenant + "/projects/web/apps/site");
    assertThat(looked.status()).isEqualTo(200);
    for (String field : List.of("id", "projectId", "tenantId", "hostLabel")) {
      assertThat(looked.json().path(field).asString()).isEqualTo(created.path(field).asString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ac--me", "a--", "--a"})
  void doubleDashesAreRefusedInEveryName(String name) {
    String alice = user(unique("alice"));
    Response tenant = api.post(alice, "/api/v1/tenants", Map.of("name", name));
    assertThat(tenant.status()).isEqualTo(400);
    assertThat(tenant.json().path("detail").asString()).contains("without '--'");

    String owner = unique("dd");
    api.post(alice, "/api/v1/tenants", Map.of("name", owner));
    Response project =
        api.post(alice, "/api/v1/tenants/" + owner + "/projects", Map.of("name", name));
    assertThat(project.status()).isEqualTo(400);
    api.post(alice, "/api/v1/tenants/" + owner + "/projects", Map.of("name", "web"));
    Response app =
        api.post(alice, "/api/v1/tenants/" + owner + "/projects/web/apps", Map.of("name", name));
    assertThat(app.status()).isEqualTo(400);
    assertThat(app.problemType()).isEqualTo(PROBLEMS + "invalid-request");
  }

  @Test
  void aHostLongerThanOneLabelIsRefusedWithWhatFits() {
    String alice = user(unique("alice"));
    String tenant = unique("long") + "-tenant"; // 20 characters
    String project = "p".repeat(20);
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", project));
    String apps = "/api/v1/tenants/" + tenant + "/projects/" + project + "/apps";

    // 19 + 2 + 20 + 2 + 20 = 63: fits exactly
    Response fits = api.post(alice, apps, Map.of("name", "a".repeat(19)));
    assertThat(fits.status()).isEqualTo(201);
    assertThat(fits.json().path("hostLabel").asString()).hasSize(63);
    Response tooLong = api.post(alice, apps, Map.of("name", "b".repeat(20)));
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.problemType()).isEqualTo(PROBLEMS + "host-too-long");
    assertThat(tooLong.json().path("detail").asString())
        .contains("64 characters", "at most 63", "59 characters together");
    assertThat(api.get(alice, apps + "/" + "b".repeat(20)).status()).isEqualTo(404);
  }

  @Test
  void anAppWhoseHostWouldBeAnIdnaLabelIsRefused() {
    String alice = user(unique("alice"));
    String tenant = unique("idn");
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", "web"));
    Response xn =
        api.post(alice, "/api/v1/tenants/" + tenant + "/projects/web/apps", Map.of("name", "xn"));
    assertThat(xn.status()).isEqualTo(409);
    assertThat(xn.problemType()).isEqualTo(PROBLEMS + "host-reserved");
  }

  @Test
  void aReRegisteredNameGetsNewIds() {
    String alice = user(unique("alice"));
    String tenant = unique("again");
    JsonNode before = app(alice, tenant, "web", "site");
    assertThat(api.delete(alice, "/api/v1/tenants/" + tenant).status()).isEqualTo(204);
    JsonNode after = app(alice, tenant, "web", "site");
    assertThat(after.path("hostLabel").asString()).isEqualTo(before.path("hostLabel").asString());
    for (String field : List.of("id", "projectId", "tenantId")) {
      assertThat(after.path(field).asString()).isNotEqualTo(before.path(field).asString());
    }
  }

  @Test
  void concurrentCreationsOfOneAppReserveItsHostOnce() throws Exception {
    String alice = user(unique("alice"));
    String tenant = unique("race");
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", "web"));
    String apps = "/api/v1/tenants/" + tenant + "/projects/web/apps";
    List<Integer> statuses;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> api.post(alice, apps, Map.of("name", "site")).status()));
      }
      statuses = new java.util.ArrayList<>();
      for (var answer : answers) {
        statuses.add(answer.get());
      }
    }
    assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
    assertThat(api.get(alice, apps).json().path("total").asLong()).isEqualTo(1);
  }

  @Test
  void aTenantRegisteredUnderADeletedTenantsNameReadsNoneOfItsAuditTrail() {
    String aliceName = unique("alice");
    String alice = user(aliceName);
    String bobName = unique("bob");
    String bob = user(bobName);
    String name = unique("reuse");
    String base = "/api/v1/tenants/" + name;
    JsonNode old = app(alice, name, "web", "site");
    api.patch(alice, base, Map.of("displayName", "Alice's secrets"));
    Response deployed =
        api.post(
            service("runtime-bridge"),
            "/api/v1/internal/audit",
            Map.of(
                "eventId",
                unique("deploy"),
                "actor",
                aliceName,
                "tenant",
                name,
                "action",
                "app.deployed",
                "target",
                name + "/web/site"));
    assertThat(deployed.status()).isEqualTo(201);
    assertThat(api.delete(alice, base).status()).isEqualTo(204);

    assertThat(api.post(bob, "/api/v1/tenants", Map.of("name", name)).status()).isEqualTo(201);
    String bobsId = api.get(bob, base).json().path("id").asString();
    assertThat(bobsId).isNotEqualTo(old.path("tenantId").asString());
    Response trail = api.get(bob, base + "/audit");
    assertThat(trail.status()).isEqualTo(200);
    JsonNode items = trail.json().path("items");
    assertThat(trail.json().path("total").asLong()).isEqualTo(1);
    assertThat(items.get(0).path("action").asString()).isEqualTo("tenant.created");
    assertThat(items.get(0).path("actor").asString()).isEqualTo(bobName);
    assertThat(items.get(0).path("tenantId").asString()).isEqualTo(bobsId);
    assertThat(trail.text()).doesNotContain(aliceName, "Alice's secrets");

    // the platform's view by name still holds both tenants' events, each with its tenant's id
    JsonNode all =
        api.get(platformAdmin("root"), "/api/v1/admin/audit?tenant=" + name).json().path("items");
    assertThat(all.valueStream().map(e -> e.path("action").asString()))
        .containsExactly(
            "tenant.created",
            "tenant.deleted",
            "app.deployed",
            "tenant.updated",
            "app.created",
            "project.created",
            "tenant.created");
    assertThat(all.valueStream().map(e -> e.path("tenantId").asString()))
        .containsExactly(
            bobsId,
            old.path("tenantId").asString(),
            old.path("tenantId").asString(),
            old.path("tenantId").asString(),
            old.path("tenantId").asString(),
            old.path("tenantId").asString(),
            old.path("tenantId").asString());
  }

  @Test
  void aHostAnotherAppHoldsIsRefusedByItsConstraint() {
    // only names from before the '--' rule can make one label twice; stand in for such an app
    String alice = user(unique("alice"));
    String tenant = unique("held");
    JsonNode holder = app(alice, tenant, "old", "legacy");
    api.post(alice, "/api/v1/tenants/" + tenant + "/projects", Map.of("name", "web"));
    String wanted = "site--web--" + tenant;
    jdbc.sql("update app set host_label = ? where public_id = ?")
        .params(wanted, holder.path("id").asString())
        .update();

    String apps = "/api/v1/tenants/" + tenant + "/projects/web/apps";
    Response taken = api.post(alice, apps, Map.of("name", "site"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.problemType()).isEqualTo(PROBLEMS + "host-taken");
    assertThat(taken.json().path("detail").asString()).contains("'" + wanted + "'");
    assertThat(api.get(alice, apps + "/site").status()).isEqualTo(404);
    // the app's own name, taken, is still told as such
    assertThat(
            api.post(
                    alice,
                    "/api/v1/tenants/" + tenant + "/projects/old/apps",
                    Map.of("name", "legacy"))
                .problemType())
        .isEqualTo(PROBLEMS + "already-exists");
  }

  private JsonNode app(String token, String tenant, String project, String app) {
    if (api.get(token, "/api/v1/tenants/" + tenant).status() == 404) {
      assertThat(api.post(token, "/api/v1/tenants", Map.of("name", tenant)).status())
          .isEqualTo(201);
    }
    String projects = "/api/v1/tenants/" + tenant + "/projects";
    if (api.get(token, projects + "/" + project).status() == 404) {
      assertThat(api.post(token, projects, Map.of("name", project)).status()).isEqualTo(201);
    }
    Response created = api.post(token, projects + "/" + project + "/apps", Map.of("name", app));
    assertThat(created.status()).isEqualTo(201);
    return created.json();
  }
}
