package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17: what tenant-service deletes, the bridge removes (containers, route, network,
 * reservations, rows) when it applies the deletion event; and an app created again under a deleted
 * name starts empty even before that.
 */
class CatalogEventsApiIT extends ApiFixture {

  @Autowired CatalogEventConsumer consumer;

  private final String catalogApp = "/api/v1/tenants/" + tenant + "/projects/web/apps/site";

  @Test
  void aDeletedTenantIsStoppedRemovedAndForgotten() throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("api-one", "one\n"), 1, null), 201);
      AppRef ref = site(alice);
      assertThat(containers()).hasSize(1);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("one\n");
      assertThat(network(ref)).isTrue();

      tenantService(alice, "DELETE", "/api/v1/tenants/" + tenant, null, 204);
      consumer.catchUp();

      assertThat(containers()).isEmpty();
      assertThat(network(ref)).isFalse();
      assertThat(router.routed()).noneMatch(routed -> routed.tenantId().equals(ref.tenantId()));
      // The router answers a host without a route with its 404 page: the app no longer does
      HostRequest.Answer gone = HostRequest.get(CADDY.httpPort(), siteHost(), "/");
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.body()).doesNotContain("one");
      for (String table : List.of("app", "revision", "domain", "app_event")) {
        assertThat(
                jdbc.sql("select count(*) from " + table + " where tenant = ?")
                    .param(tenant)
                    .query(Long.class)
                    .single())
            .as(table)
            .isZero();
      }
      // applying it again (a consumer that died before moving its cursor) changes nothing
      jdbc.sql("update catalog_cursor set seq = 0").update();
      consumer.catchUp();
      assertThat(containers()).isEmpty();
    } finally {
      forgetTenant();
    }
  }

  @Test
  void anAppCreatedAgainUnderADeletedNameStartsEmptyBeforeTheEventIsApplied() throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("api-one", "one\n"), 1, null), 201);
      bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"old\"}}", 200);
      AppRef before = site(alice);
      assertThat(containers()).hasSize(1);

      tenantService(alice, "DELETE", catalogApp, null, 204);
      tenantService(
          alice,
          "POST",
          "/api/v1/tenants/" + tenant + "/projects/web/apps",
          "{\"name\":\"site\",\"source\":\"image\",\"sourceRef\":\"x\"}",
          201);
      AppRef again = site(alice);
      assertThat(again.appId()).isNotEqualTo(before.appId());
      assertThat(again.hostLabel()).isEqualTo(before.hostLabel());

      // the event is not applied yet, but nothing of the earlier app shows or runs
      JsonNode status = bridge(alice, "GET", app, null, 200);
      assertThat(status.path("revisions")).isEmpty();
      assertThat(status.path("liveRevision").isNull()).isTrue();
      assertThat(bridge(alice, "GET", appPath + "/env", null, 200).path("env").size()).isZero();
      assertThat(containers()).isEmpty();
      assertThat(router.routed()).noneMatch(r -> r.appId().equals(before.appId()));

      consumer.catchUp();
      assertThat(
              jdbc.sql("select count(*) from app where app_id = ?")
                  .param(before.appId())
                  .query(Long.class)
                  .single())
          .isZero();
      // and the new app deploys as any new app does
      JsonNode deployed =
          bridge(
              alice, "POST", app, deployment(TestImages.httpd("api-two", "two\n"), 1, null), 201);
      assertThat(deployed.path("revision").asInt()).isEqualTo(1);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("two\n");
    } finally {
      forgetTenant();
    }
  }

  private static boolean network(AppRef ref) {
    return PODMAN
        .run(
            List.of(
                "network",
                "ls",
                "--format",
                "{{.Name}}",
                "--filter",
                "label=slipway.io/project-id=" + ref.projectId()))
        .stdout()
        .strip()
        .equals(TestImages.PREFIX + ref.projectId());
  }
}
