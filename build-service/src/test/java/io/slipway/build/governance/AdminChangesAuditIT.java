package io.slipway.build.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestTenantService;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A platform admin's change in build-service (a signing-key rotation, files rather than rows) goes
 * through build-service's audit outbox to the platform's trail at the real tenant-service: by whom,
 * recorded by build-service, and the outbox empty once tenant-service has it.
 */
class AdminChangesAuditIT extends BuildServiceTest {

  @Autowired JdbcClient jdbc;

  @Test
  void aKeyRotationIsInThePlatformsTrail() {
    String adminName = "root-" + UUID.randomUUID().toString().substring(0, 8);
    String admin =
        TestKeycloak.userToken(adminName, TestKeycloak.createUser(adminName, "platform-admin"));

    Json.Response rotated = Json.post(admin, baseUrl() + "/api/v1/admin/signing-keys", null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    String key = rotated.json().path("id").asString();

    Json.Response trail =
        Json.get(
            admin,
            TestTenantService.url()
                + "/api/v1/admin/audit?action=signing-key.rotated&actor="
                + adminName);
    assertThat(trail.status()).as(trail.body()).isEqualTo(200);
    assertThat(trail.json().path("total").asLong()).isEqualTo(1);
    JsonNode event = trail.json().path("items").get(0);
    assertThat(event.path("target").asString()).isEqualTo("signing-keys/" + key);
    assertThat(event.path("recordedBy").asString()).isEqualTo("build-service");
    assertThat(event.path("actorKind").asString()).isEqualTo("user");
    assertThat(event.path("tenant").isNull()).isTrue();
    assertThat(event.path("after").path("key").asString()).isEqualTo(key);
    assertThat(
            jdbc.sql("select count(*) from audit_outbox where event->>'target' = ?")
                .param("signing-keys/" + key)
                .query(Long.class)
                .single())
        .as("delivered: gone from the outbox")
        .isZero();
  }
}
