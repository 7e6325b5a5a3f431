package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import java.util.ArrayList;
import java.util.List;
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
