package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.deploy.ActivationStore.Activation;
import io.slipway.runtime.deploy.ActivationStore.Recorded;
import io.slipway.runtime.model.AppRef;
import io.slipway.testing.TestKeycloak;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Activations against the tenant's quota and by status (issue 22), on the bridge's real database
 * and the real tenant-service: what the activation log writes is reported as the tenant's measured
 * usage; a prune keeps each tenant's newest {@code activations} of its quota (another tenant's
 * untouched) and reports what it changed, a tenant left with none too; the list filters by status
 * across pages, refuses an unknown status and shows another tenant nothing. Activations are
 * recorded through the log as the invoker records them (no container is needed to count them).
 */
class ActivationQuotaIT extends ApiFixture {

  @Autowired ActivationLog activationLog;
  @Autowired ActivationStore activationStore;
  @Autowired ActivationRetention retention;
  @Autowired ActivationUsage usage;

  private final List<String> tenantIds = new ArrayList<>();
  private final String malloryTenant = tenant + "-m";

  @AfterEach
  void forgetActivations() {
    for (String table : List.of("function_activation", "function_activation_usage")) {
      tenantIds.forEach(
          id -> jdbc.sql("delete from " + table + " where tenant_id = ?").param(id).update());
    }
    jdbc.sql("delete from app where tenant = ?").param(malloryTenant).update();
    forgetTenant();
  }

  @Test
  void eachTenantKeepsItsQuotasNewestActivationsAndTheirCountIsItsUsage() throws Exception {
    String alice = aliceWithApp();
    AppRef site = function(site(alice));
    String mallory = user("mallory");
    tenantWithSite(mallory, malloryTenant);
    AppRef other = function(tenants.requireAccess(malloryTenant, "web", "site", mallory, false));
    List<String> aliceIds =
        record(site, "success", "success", "error", "success", "timeout", "success");
    record(other, "success", "success", "success", "success");

    // written, then reported off the request path: each tenant's count is its usage
    usage.reportWritten();
    await().atMost(Duration.ofSeconds(30)).until(() -> used(alice, tenant) == 6);
    assertThat(used(mallory, malloryTenant)).isEqualTo(4);

    // a platform admin keeps alice's tenant to 3: shown over quota until the next prune, which
    // keeps her newest 3 and reports them; mallory's are untouched
    String root = "root-" + suffix;
    String admin = TestKeycloak.userToken(root, TestKeycloak.createUser(root, "platform-admin"));
    String quota = "/api/v1/tenants/" + tenant + "/quota";
    ObjectNode limits =
        (ObjectNode) JSON.readTree(tenantService(alice, "GET", quota, null, 200)).path("limits");
    assertThat(limits.path("activations").asLong()).isEqualTo(10_000);
    tenantService(admin, "PUT", quota, limits.put("activations", 3).toString(), 200);
    assertThat(
            JSON.readTree(tenantService(alice, "GET", quota, null, 200))
                .path("overages")
                .path("activations")
                .asLong())
        .isEqualTo(3);

    assertThat(retention.prune()).isGreaterThanOrEqualTo(3);
    assertThat(activationStore.count(site.tenantId())).isEqualTo(3);
    assertThat(
            bridge(alice, "GET", appPath + "/activations", null, 200)
                .path("activations")
                .findValuesAsString("id"))
        .containsExactlyElementsOf(aliceIds.reversed().subList(0, 3));
    assertThat(activationStore.count(other.tenantId())).isEqualTo(4);
    assertThat(used(alice, tenant)).isEqualTo(3);
    assertThat(used(mallory, malloryTenant)).isEqualTo(4);
    // a second pass finds nothing to prune and nothing changed to report
    assertThat(retention.prune()).isZero();

    // mallory's function deleted: its activations go, and her usage is reported as none
    jdbc.sql("delete from app where tenant = ?").param(malloryTenant).update();
    assertThat(retention.prune()).isGreaterThanOrEqualTo(4);
    assertThat(activationStore.count(other.tenantId())).isZero();
    assertThat(used(mallory, malloryTenant)).isZero();
    assertThat(used(alice, tenant)).isEqualTo(3);
  }

  @Test
  void theListFiltersByStatusAcrossPagesAndRefusesAnUnknownStatus() throws Exception {
    String alice = aliceWithApp();
    AppRef site = function(site(alice));
    List<String> ids = record(site, "success", "error", "timeout", "error", "success", "error");
    String list = appPath + "/activations";
    await().atMost(Duration.ofSeconds(10)).until(() -> activationStore.count(site.tenantId()) == 6);

    JsonNode errors = bridge(alice, "GET", list + "?status=error", null, 200);
    assertThat(errors.path("activations").findValuesAsString("id"))
        .containsExactly(ids.get(5), ids.get(3), ids.get(1));
    assertThat(errors.path("activations").findValuesAsString("status")).containsOnly("error");
    // paged with before: the next page holds the same status only
    JsonNode first = bridge(alice, "GET", list + "?status=error&limit=2", null, 200);
    assertThat(first.path("activations").findValuesAsString("id"))
        .containsExactly(ids.get(5), ids.get(3));
    assertThat(first.path("next").asString()).isEqualTo(ids.get(3));
    JsonNode rest =
        bridge(alice, "GET", list + "?status=error&limit=2&before=" + ids.get(3), null, 200);
    assertThat(rest.path("activations").findValuesAsString("id")).containsExactly(ids.get(1));
    assertThat(rest.path("next").isNull()).isTrue();
    assertThat(
            bridge(alice, "GET", list + "?status=timeout", null, 200)
                .path("activations")
                .findValuesAsString("id"))
        .containsExactly(ids.get(2));
    assertThat(
            bridge(alice, "GET", list + "?status=success&before=" + ids.get(4), null, 200)
                .path("activations")
                .findValuesAsString("id"))
        .containsExactly(ids.get(0));
    assertThat(bridge(alice, "GET", list, null, 200).path("activations").size()).isEqualTo(6);

    // an unknown status is refused, naming the ones there are
    for (String bad : List.of("bogus", "ERROR")) {
      JsonNode refused = bridge(alice, "GET", list + "?status=" + bad, null, 400);
      assertThat(refused.path("type").asString()).endsWith("/invalid-activation-status");
      assertThat(refused.path("detail").asString())
          .isEqualTo(
              "status must be one of success, error, timeout (or left out for all), not '"
                  + bad
                  + "'");
    }

    // another tenant sees no app, and its own app's list names none of these
    String mallory = user("mallory");
    bridge(mallory, "GET", list + "?status=error", null, 404);
    tenantWithSite(mallory, malloryTenant);
    String malloryList = "/api/v1/tenants/" + malloryTenant + "/projects/web/apps/site/activations";
    assertThat(
            bridge(mallory, "GET", malloryList + "?status=error&before=" + ids.get(5), null, 200)
                .path("activations")
                .size())
        .isZero();
  }

  /** The app, held by the bridge as a deployed function's is. */
  private AppRef function(AppRef ref) {
    store.ensureApp(ref);
    tenantIds.add(ref.tenantId());
    return ref;
  }

  /**
   * One activation of each status (oldest first, a second apart) recorded through the log and
   * written at once; their ids in that order.
   */
  private List<String> record(AppRef ref, String... statuses) {
    Instant start = Instant.now().minusSeconds(statuses.length + 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < statuses.length; i++) {
      String status = statuses[i];
      String id = activationLog.newId();
      ids.add(id);
      activationLog.record(
          new Recorded(
              ref,
              new Activation(
                  id,
                  1,
                  "http",
                  start.plusSeconds(i),
                  5,
                  status,
                  status.equals("success") ? 200 : 502,
                  2,
                  status.equals("success") ? null : "Error: " + status,
                  "")));
    }
    activationLog.flush();
    return ids;
  }

  /** The tenant's activations in use, as tenant-service's quota shows them. */
  private long used(String token, String tenantName) throws Exception {
    return JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenantName + "/quota", null, 200))
        .path("used")
        .path("activations")
        .asLong();
  }
}
