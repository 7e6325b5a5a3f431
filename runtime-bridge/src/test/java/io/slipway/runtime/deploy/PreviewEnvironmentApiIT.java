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
 * Issue 25: a preview ({@code feature-x--site}, made in the real tenant-service) deploys like an
 * app under its own name and host, on real podman behind the real Caddy, with the environment
 * derived from its parent's: plain variables copied, secrets only when marked {@code preview:
 * true}, its own overrides winning.
 */
class PreviewEnvironmentApiIT extends ApiFixture {

  private static final String SECRET = "prod-s3cret";

  @Autowired CatalogEventConsumer consumer;

  /** The preview's containers, running or not. */
  private List<String> previewContainers() {
    return PODMAN
        .run(
            List.of(
                "ps",
                "--all",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=slipway.io/tenant=" + tenant,
                "--filter",
                "label=slipway.io/app=feature-x--site"))
        .stdout()
        .lines()
        .toList();
  }

  @Test
  void aPreviewRunsWithItsParentsVariablesOnlyItsMarkedSecretsAndItsOwnOverrides()
      throws Exception {
    String alice = aliceWithApp();
    String previewPath = "/api/v1/tenants/" + tenant + "/projects/web/apps/feature-x--site";
    String previewHost = "feature-x--site--web--" + tenant + ".apps.localhost";
    try {
      bridge(
          alice,
          "PUT",
          appPath + "/env",
          "{\"env\":{\"GREETING\":\"hello\"},\"secrets\":{\"TOKEN\":\"" + SECRET + "\"}}",
          200);
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/projects/web/apps/site/previews/feature-x",
          null,
          201);

      // deployed under its own name, at its own host: the parent's variable, not its secret
      JsonNode live =
          bridge(
              alice,
              "POST",
              previewPath + "/deployments",
              deployment(TestImages.envPageWithOomSwitch(), 1, null),
              201);
      assertThat(live.path("status").asString()).as(live.toString()).isEqualTo("live");
      assertThat(HostRequest.get(CADDY.httpPort(), previewHost, "/").body()).isEqualTo("hello \n");

      // marked preview: true, the secret reaches the preview's next revision
      JsonNode marked = bridge(alice, "PUT", appPath + "/secrets/TOKEN", "{\"preview\":true}", 200);
      assertThat(marked.path("preview").asBoolean()).isTrue();
      assertThat(
              bridge(alice, "GET", appPath + "/env", null, 200)
                  .path("previewSecrets")
                  .get(0)
                  .asString())
          .isEqualTo("TOKEN");
      // the preview's own configuration wins over its parent's
      bridge(alice, "PUT", previewPath + "/env", "{\"env\":{\"GREETING\":\"preview\"}}", 200);
      assertThat(HostRequest.get(CADDY.httpPort(), previewHost, "/").body())
          .isEqualTo("preview " + SECRET + "\n");
      // what it shows as its configuration is its own alone, never the parent's secret
      String own = call("http://127.0.0.1:" + port, alice, "GET", previewPath + "/env", null, 200);
      assertThat(own).doesNotContain(SECRET).doesNotContain("TOKEN");
      assertThat(JSON.readTree(own).path("env").path("GREETING").asString()).isEqualTo("preview");

      // a secret the app does not have cannot be marked; a viewer may not; a stranger finds nothing
      bridge(alice, "PUT", appPath + "/secrets/NOPE", "{\"preview\":true}", 404);
      bridge(alice, "PUT", appPath + "/secrets/TOKEN", "{}", 400);
      bridge(viewer(alice), "PUT", appPath + "/secrets/TOKEN", "{\"preview\":false}", 403);
      String mallory = user("mallory");
      bridge(mallory, "PUT", appPath + "/secrets/TOKEN", "{\"preview\":false}", 404);
      bridge(mallory, "GET", previewPath + "/env", null, 404);

      // unmarked again: the preview's next revision no longer holds it
      bridge(alice, "PUT", appPath + "/secrets/TOKEN", "{\"preview\":false}", 200);
      bridge(alice, "PUT", previewPath + "/env", "{\"env\":{\"GREETING\":\"again\"}}", 200);
      assertThat(HostRequest.get(CADDY.httpPort(), previewHost, "/").body()).isEqualTo("again \n");
      // the parent itself keeps its secret
      assertThat(
              bridge(alice, "GET", appPath + "/env", null, 200).path("secrets").get(0).asString())
          .isEqualTo("TOKEN");

      // deleted in tenant-service, its app.deleted event removes what it ran, by its own app id
      AppRef preview = tenants.requireAccess(tenant, "web", "feature-x--site", alice, false);
      tenantService(
          alice,
          "DELETE",
          "/api/v1/tenants/" + tenant + "/projects/web/apps/site/previews/feature-x",
          null,
          204);
      consumer.catchUp();
      assertThat(previewContainers()).isEmpty();
      assertThat(router.routed()).noneMatch(routed -> routed.appId().equals(preview.appId()));
      assertThat(HostRequest.get(CADDY.httpPort(), previewHost, "/").status()).isEqualTo(404);
      assertThat(
              jdbc.sql("select count(*) from app where app_id = ?")
                  .param(preview.appId())
                  .query(Long.class)
                  .single())
          .isZero();
      assertThat(
              bridge(alice, "GET", appPath + "/env", null, 200)
                  .path("env")
                  .path("GREETING")
                  .asString())
          .isEqualTo("hello");
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aForksPreviewRunsWithNoSecretsAtAllNotEvenMarkedOrItsOwn() throws Exception {
    String alice = aliceWithApp();
    String previewPath = "/api/v1/tenants/" + tenant + "/projects/web/apps/pr-9--site";
    String previewHost = "pr-9--site--web--" + tenant + ".apps.localhost";
    try {
      bridge(
          alice,
          "PUT",
          appPath + "/env",
          "{\"env\":{\"GREETING\":\"hello\"},\"secrets\":{\"TOKEN\":\"" + SECRET + "\"}}",
          200);
      bridge(alice, "PUT", appPath + "/secrets/TOKEN", "{\"preview\":true}", 200);
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/projects/web/apps/site/previews/pr-9",
          null,
          201);
      String fork =
          deployment(TestImages.envPageWithOomSwitch(), 1, null).replace("}", ",\"fork\":true}");
      JsonNode live = bridge(alice, "POST", previewPath + "/deployments", fork, 201);

      // the parent's secret is marked preview: true, yet the fork's preview does not get it
      assertThat(live.path("status").asString()).as(live.toString()).isEqualTo("live");
      assertThat(HostRequest.get(CADDY.httpPort(), previewHost, "/").body()).isEqualTo("hello \n");
      // nor a secret of its own (which would win over its parent's), in any later revision
      bridge(
          alice,
          "PUT",
          previewPath + "/env",
          "{\"env\":{\"GREETING\":\"later\"},\"secrets\":{\"TOKEN\":\"own-secret\"}}",
          200);
      assertThat(HostRequest.get(CADDY.httpPort(), previewHost, "/").body()).isEqualTo("later \n");
      tenantService(
          alice,
          "DELETE",
          "/api/v1/tenants/" + tenant + "/projects/web/apps/site/previews/pr-9",
          null,
          204);
      consumer.catchUp();
    } finally {
      forgetTenant();
    }
  }
}
