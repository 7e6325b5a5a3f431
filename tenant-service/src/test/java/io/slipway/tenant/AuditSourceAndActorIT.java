package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.cliUser;
import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17's audit trail: the browser's address when the portal forwards it, the caller's own
 * address whatever header anyone else sends, actors named by one rule, and services' events kept
 * with the time of the change, once.
 */
class AuditSourceAndActorIT extends ServiceTest {

  private static final Map<String, String> BROWSER = Map.of("X-Forwarded-For", "198.51.100.23");
  private static final Map<String, String> FORGED = Map.of("X-Forwarded-For", "203.0.113.66");
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "0:0:0:0:0:0:0:1");

  @Test
  void theAddressThePortalForwardsIsRecordedAndNobodyElsesIs() {
    String aliceName = unique("alice");
    String tenant = unique("src");
    String base = "/api/v1/tenants/" + tenant;
    // through the portal: the portal's client's token, from the portal's (trusted) address
    Response created =
        api.send(user(aliceName), "POST", "/api/v1/tenants", Map.of("name", tenant), BROWSER);
    assertThat(created.status()).isEqualTo(201);
    // the attack: alice calls directly with her CLI token and says she is somebody else
    Response project =
        api.send(cliUser(aliceName), "POST", base + "/projects", Map.of("name", "web"), FORGED);
    assertThat(project.status()).isEqualTo(201);
    // and with a personal access token
    Response token =
        api.post(
            user(aliceName),
            "/api/v1/tokens",
            Map.of("name", "cli", "scopes", List.of("api"), "expiresInDays", 1));
    String secret = token.json().path("token").asString();
    String tokenId = token.json().path("id").asString();
    Response patched =
        api.send(secret, "PATCH", base, Map.of("displayName", "Forged by token"), FORGED);
    assertThat(patched.status()).isEqualTo(200);

    JsonNode portal = only(user(aliceName), base, "tenant.created");
    assertThat(portal.path("sourceIp").asString()).isEqualTo("198.51.100.23");
    assertThat(portal.path("actor").asString()).isEqualTo(aliceName);
    assertThat(portal.path("actorKind").asString()).isEqualTo("user");
    assertThat(portal.path("actorId").asString()).isEqualTo("sub-" + aliceName);

    JsonNode direct = only(user(aliceName), base, "project.created");
    assertThat(direct.path("sourceIp").asString()).isIn(LOOPBACK);
    assertThat(direct.path("actor").asString()).isEqualTo(aliceName);

    JsonNode byToken = only(user(aliceName), base, "tenant.updated");
    assertThat(byToken.path("sourceIp").asString()).isIn(LOOPBACK);
    assertThat(byToken.path("actor").asString()).isEqualTo(aliceName);
    assertThat(byToken.path("actorKind").asString()).isEqualTo("token");
    assertThat(byToken.path("tokenId").asString()).isEqualTo(tokenId);
  }

  @Test
  void aServicesEventKeepsTheTimeOfTheChangeAndIsRecordedOnceHoweverOftenSent() {
    String aliceName = unique("alice");
    String tenant = unique("late");
    String base = "/api/v1/tenants/" + tenant;
    assertThat(api.post(user(aliceName), "/api/v1/tenants", Map.of("name", tenant)).status())
        .isEqualTo(201);
    // made an hour ago while tenant-service was down, delivered now, and again (at least once)
    Instant madeAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", unique("evt"));
    event.put("at", madeAt.toString());
    event.put("actor", aliceName);
    event.put("actorKind", "token");
    event.put("tokenId", "17");
    event.put("tenant", tenant);
    event.put("action", "app.scaled");
    event.put("target", tenant + "/web/site");
    event.put("sourceIp", "198.51.100.23");
    event.put("details", Map.of("replicas", 2));
    assertThat(api.post(service("runtime-bridge"), "/api/v1/internal/audit", event).status())
        .isEqualTo(201);
    assertThat(api.post(service("runtime-bridge"), "/api/v1/internal/audit", event).status())
        .isEqualTo(200);

    JsonNode scaled = only(user(aliceName), base, "app.scaled");
    assertThat(Instant.parse(scaled.path("at").asString())).isEqualTo(madeAt);
    assertThat(scaled.path("actorKind").asString()).isEqualTo("token");
    assertThat(scaled.path("tokenId").asString()).isEqualTo("17");
    assertThat(scaled.path("recordedBy").asString()).isEqualTo("runtime-bridge");
    // the trail is in order of the changes: the late event sorts before the tenant's creation
    JsonNode items = api.get(user(aliceName), base + "/audit").json().path("items");
    assertThat(items.valueStream().map(e -> e.path("action").asString()))
        .containsExactly("tenant.created", "app.scaled");

    // a service's own change: named by its client, never by Keycloak's service-account user
    assertThat(
            api.get(platformAdmin("root"), "/api/v1/admin/audit?actor=runtime-bridge")
                .json()
                .path("items")
                .valueStream()
                .map(e -> e.path("actor").asString()))
        .doesNotContain("service-account-runtime-bridge");
  }

  @Test
  void aTenantAdminReadsOnlyTheirTenantsTrailAPlatformAdminEveryTenants() {
    String aliceName = unique("alice");
    String bobName = unique("bob");
    String mine = unique("mine");
    String theirs = unique("theirs");
    api.post(user(aliceName), "/api/v1/tenants", Map.of("name", mine));
    api.post(user(bobName), "/api/v1/tenants", Map.of("name", theirs));

    assertThat(api.get(user(aliceName), "/api/v1/tenants/" + theirs + "/audit").status())
        .isEqualTo(404);
    assertThat(api.get(user(aliceName), "/api/v1/admin/audit").status()).isEqualTo(403);
    JsonNode own = api.get(user(aliceName), "/api/v1/tenants/" + mine + "/audit").json();
    assertThat(own.path("items").valueStream().map(e -> e.path("tenant").asString()))
        .containsOnly(mine);
    for (String tenant : List.of(mine, theirs)) {
      assertThat(
              api.get(platformAdmin("root"), "/api/v1/admin/audit?tenant=" + tenant)
                  .json()
                  .path("total")
                  .asLong())
          .isPositive();
    }
  }

  private JsonNode only(String token, String base, String action) {
    Response trail = api.get(token, base + "/audit?action=" + action);
    assertThat(trail.status()).as(trail.text()).isEqualTo(200);
    assertThat(trail.json().path("total").asLong()).as(action).isEqualTo(1);
    return trail.json().path("items").get(0);
  }
}
