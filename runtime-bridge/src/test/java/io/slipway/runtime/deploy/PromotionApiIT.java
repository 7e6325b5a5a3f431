package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Promotion across projects of one tenant (issue 26), with real images, digests and signatures,
 * real containers and real Keycloak users: production requires signed images and staging does not;
 * staging's unsigned image is refused at the door of production with the reason, its signed image
 * is promoted by digest without a rebuild and runs there, audited; another tenant, a viewer, and a
 * project policy that would loosen its tenant's are refused; a deleted project's or tenant's policy
 * goes, and a tenant made again under the name starts without it.
 */
class PromotionApiIT extends ApiFixture {

  @Autowired CatalogEventConsumer catalog;

  private final String staging = "/api/v1/tenants/" + tenant + "/projects/web/apps/site";
  private final String production = "/api/v1/tenants/" + tenant + "/projects/prod/apps/site";
  private final String prodPolicy = "/api/v1/tenants/" + tenant + "/projects/prod/image-policy";

  @AfterEach
  void tearDown() {
    forgetTenant();
  }

  @AfterAll
  static void removeImages() {
    GovernanceFixture.removeImages();
  }

  private static String deploy(String image) {
    return "{\"image\":\"" + image + "\",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32}";
  }

  private static String to(String project, String app) {
    return "{\"project\":\"" + project + "\",\"app\":\"" + app + "\"}";
  }

  /** The image each running container of app {@code site} of {@code project} was made from. */
  private List<String> running(String project) {
    return PODMAN
        .run(
            List.of(
                "ps",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=slipway.io/tenant=" + tenant,
                "--filter",
                "label=slipway.io/project=" + project,
                "--filter",
                "label=slipway.io/app=site"))
        .stdout()
        .lines()
        .map(
            name ->
                PODMAN.run(List.of("inspect", "--format", "{{.ImageName}}", name)).stdout().strip())
        .toList();
  }

  @Test
  void productionsPolicyRefusesStagingsUnsignedImageAndRunsItsSignedOneByDigest() throws Exception {
    String alice = aliceWithApp();
    projectWithSite(alice, tenant, "prod");
    tenantService(
        alice,
        "PUT",
        "/api/v1/tenants/" + tenant + "/projects/prod/quota",
        "{\"cpuMillicores\":1000}",
        200);

    // production tightens the tenant's policy; a project cannot loosen it with waivers
    JsonNode policy = bridge(alice, "PUT", prodPolicy, "{\"requireSigned\":true}", 200);
    assertThat(policy.path("effective").path("requireSigned").asBoolean()).isTrue();
    assertThat(policy.path("tenantEffective").path("requireSigned").asBoolean()).isFalse();
    JsonNode waiver =
        bridge(
            alice,
            "PUT",
            prodPolicy,
            "{\"waivers\":[{\"advisoryId\":\"CVE-2024-0001\",\"reason\":\"r\","
                + "\"expiresAt\":\"2099-01-01T00:00:00Z\"}]}",
            422);
    assertThat(waiver.path("type").asString()).endsWith("/waivers-not-allowed");
    String victor = viewer(alice);
    assertThat(bridge(victor, "GET", prodPolicy, null, 200).path("effective").toString())
        .contains("\"requireSigned\":true");
    bridge(victor, "PUT", prodPolicy, "{}", 403);

    // staging runs an unsigned image; production refuses it, and runs nothing
    String unsigned =
        GovernanceFixture.build(governedImage("unsigned"), "unsigned " + suffix, Map.of());
    bridge(alice, "POST", staging + "/deployments", deploy(unsigned), 201);
    JsonNode refused = bridge(alice, "POST", staging + "/promote", to("prod", "site"), 422);
    assertThat(refused.path("type").asString()).endsWith("/image-refused");
    assertThat(reasons(refused)).containsExactly("image is not signed by the platform key");
    assertThat(running("prod")).isEmpty();

    // the signed image built for staging goes to production as it is: the same digest
    String signed = GovernanceFixture.build(governedImage("signed"), "signed " + suffix, Map.of());
    String digest = GovernanceFixture.attest(signed, GovernanceFixture.PLATFORM);
    JsonNode onStaging = bridge(alice, "POST", staging + "/deployments", deploy(signed), 201);
    assertThat(onStaging.path("digest").asString()).isEqualTo(digest);
    JsonNode promoted = bridge(alice, "POST", staging + "/promote", to("prod", "site"), 201);
    assertThat(promoted.path("status").asString()).isEqualTo("live");
    assertThat(promoted.path("digest").asString()).isEqualTo(digest);
    assertThat(promoted.path("revision").asInt()).isEqualTo(1);
    assertThat(running("prod"))
        .containsExactly(signed.substring(0, signed.lastIndexOf(':')) + "@" + digest);
    JsonNode prod = bridge(alice, "GET", production + "/deployments", null, 200);
    assertThat(prod.path("liveRevision").asInt()).isEqualTo(1);
    assertThat(prod.path("revisions").get(0).path("digest").asString()).isEqualTo(digest);

    // who may: a viewer reads staging but changes nothing in production; another tenant sees
    // neither app, and a tenant promotes only within itself (its own prod is what it names)
    bridge(victor, "POST", staging + "/promote", to("prod", "site"), 403);
    String mallory = user("mallory");
    bridge(mallory, "POST", staging + "/promote", to("prod", "site"), 404);
    bridge(mallory, "GET", prodPolicy, null, 404);
    bridge(mallory, "PUT", prodPolicy, "{}", 404);
    bridge(alice, "POST", staging + "/promote", to("web", "site"), 422);
    bridge(alice, "POST", staging + "/promote", to("prod", "nope"), 404);
    bridge(alice, "POST", staging + "/promote", "{\"project\":\"prod\"}", 400);

    List<JsonNode> promotions = new ArrayList<>();
    JSON.readTree(
            tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=100", null, 200))
        .path("items")
        .forEach(
            e -> {
              if (e.path("action").asString().equals("app.promoted")) {
                promotions.add(e);
              }
            });
    assertThat(promotions).isNotEmpty();
    assertThat(promotions.getFirst().path("target").asString()).isEqualTo(tenant + "/prod/site");
    assertThat(promotions.getFirst().toString()).contains("web/site").contains("fromRevision");

    // a deleted project's policy goes with it, and what ran in it
    tenantService(alice, "DELETE", "/api/v1/tenants/" + tenant + "/projects/prod", null, 204);
    catalog.catchUp();
    assertThat(jdbc.sql("select count(*) from project_image_policy").query(Integer.class).single())
        .isZero();
    assertThat(running("prod")).isEmpty();
  }

  @Test
  void aTenantMadeAgainUnderADeletedOnesNameStartsWithoutItsPoliciesOrRetention() throws Exception {
    String alice = aliceWithApp();
    String tenantPolicy = "/api/v1/tenants/" + tenant + "/image-policy";
    String webPolicy = "/api/v1/tenants/" + tenant + "/projects/web/image-policy";
    bridge(alice, "PUT", tenantPolicy, "{\"requireSigned\":true,\"maxSeverity\":\"LOW\"}", 200);
    bridge(alice, "PUT", webPolicy, "{\"allowedRegistries\":[\"localhost/only\"]}", 200);
    assertThat(bridge(alice, "GET", webPolicy, null, 200).path("effective").toString())
        .contains("\"requireSigned\":true", "localhost/only");
    String retention = "/api/v1/tenants/" + tenant + "/image-retention";
    bridge(alice, "PUT", retention, "{\"revisions\":2}", 200);

    tenantService(alice, "DELETE", "/api/v1/tenants/" + tenant, null, 204);
    catalog.catchUp();

    // mallory takes the name: nothing of alice's tenant's policies applies to hers
    String mallory = user("mallory");
    tenantWithSite(mallory, tenant);
    JsonNode own = bridge(mallory, "GET", tenantPolicy, null, 200);
    assertThat(own.path("policy").path("requireSigned").asBoolean()).isFalse();
    assertThat(own.path("policy").path("maxSeverity").asString()).isEqualTo("CRITICAL");
    JsonNode project = bridge(mallory, "GET", webPolicy, null, 200);
    assertThat(project.path("policy").path("allowedRegistries").toString()).isEqualTo("[\"*\"]");
    // nor its image retention
    JsonNode kept = bridge(mallory, "GET", retention, null, 200);
    assertThat(kept.path("own").isNull()).isTrue();
    assertThat(kept.path("revisions").asInt()).isEqualTo(10);
  }

  private static List<String> reasons(JsonNode problem) {
    List<String> reasons = new ArrayList<>();
    problem.path("reasons").forEach(r -> reasons.add(r.asString()));
    return reasons;
  }
}
