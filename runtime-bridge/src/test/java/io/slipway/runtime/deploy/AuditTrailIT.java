package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.podman.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Changes runtime-bridge makes land in the tenant's audit trail at tenant-service (the real one):
 * who, what, on which app, from which address, recorded by runtime-bridge, with names only, never
 * an environment or secret value.
 */
class AuditTrailIT extends ApiFixture {

  @Test
  void aDeployAnEnvChangeAndASecretChangeAreAuditedWithNamesOnly() throws Exception {
    String alice = aliceWithApp();
    String value = "plain-" + suffix + "-value";
    String secret = "s3cr3t-" + suffix + "-value";
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.httpd("audit", "audited\n"), 1, null),
          201);
      call(
          base(),
          alice,
          "PUT",
          appPath + "/env",
          "{\"env\":{\"GREETING\":\"" + value + "\"},\"secrets\":{\"TOKEN\":\"" + secret + "\"}}",
          200);

      String trail =
          tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200);
      assertThat(trail).doesNotContain(value).doesNotContain(secret).doesNotContain("s3cr3t");
      List<JsonNode> events = new ArrayList<>();
      JSON.readTree(trail).path("items").forEach(events::add);
      JsonNode deployed = only(events, "app.deployed");
      JsonNode env = only(events, "env.updated");
      JsonNode secrets = only(events, "secrets.updated");
      for (JsonNode event : List.of(deployed, env, secrets)) {
        assertThat(event.path("actor").asString()).isEqualTo("alice-" + suffix);
        assertThat(event.path("tenant").asString()).isEqualTo(tenant);
        assertThat(event.path("target").asString()).isEqualTo(tenant + "/web/site");
        assertThat(event.path("sourceIp").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(event.path("recordedBy").asString()).isEqualTo("runtime-bridge");
        assertThat(event.path("at").asString()).isNotBlank();
      }
      assertThat(deployed.path("after").path("revision").asInt()).isEqualTo(1);
      assertThat(env.path("after").path("env").get(0).asString()).isEqualTo("GREETING");
      assertThat(secrets.path("after").path("set").get(0).asString()).isEqualTo("TOKEN");
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aDeployIsAuditedBeforeItRunsAndItsFailureIsARecordOfItsOwn() throws Exception {
    String alice = aliceWithApp();
    try {
      // never answers its health check: the rollout waits the whole health timeout (10 s)
      CompletableFuture<JsonNode> deploy =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return bridge(
                      alice,
                      "POST",
                      appPath + "/deployments",
                      deployment(TestImages.listensNowhere(), 1, null),
                      201);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // recorded with the revision's row, before the container started: while it still waits
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  trail(alice).stream()
                          .anyMatch(e -> e.path("action").asString().equals("app.deployed"))
                      || deploy.isDone());
      assertThat(deploy).as("the deploy is still under way").isNotDone();
      JsonNode intent = only(trail(alice), "app.deployed");
      assertThat(intent.path("after").path("revision").asInt()).isEqualTo(1);
      assertThat(
              jdbc.sql("select status from revision where tenant = ?")
                  .param(tenant)
                  .query(String.class)
                  .single())
          .isIn("pending", "deploying");

      assertThat(deploy.get(60, TimeUnit.SECONDS).path("status").asString()).isEqualTo("failed");
      JsonNode failed = only(trail(alice), "app.change-failed");
      assertThat(failed.path("after").path("action").asString()).isEqualTo("app.deployed");
      assertThat(failed.path("after").path("revision").asInt()).isEqualTo(1);
      assertThat(failed.path("after").path("reason").asString()).isNotBlank();
      assertThat(failed.path("actor").asString()).isEqualTo("alice-" + suffix);
    } finally {
      forgetTenant();
    }
  }

  private List<JsonNode> trail(String token) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
        .path("items")
        .forEach(events::add);
    return events;
  }

  private static JsonNode only(List<JsonNode> events, String action) {
    List<JsonNode> matching =
        events.stream().filter(e -> e.path("action").asString().equals(action)).toList();
    assertThat(matching).as(action).hasSize(1);
    return matching.getFirst();
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }
}
