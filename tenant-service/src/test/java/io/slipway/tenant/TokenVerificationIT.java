package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/internal/tokens/verify}: how build-service checks the password of a git push,
 * and build-service and runtime-bridge the personal access token of an API call. 200 for a good
 * token, 422 {@code invalid-token} with a reason for a bad one, 403 for a caller that may not ask.
 */
class TokenVerificationIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";
  private static final String VERIFY = "/api/v1/internal/tokens/verify";

  @Autowired JdbcClient jdbc;

  private final String buildService = service("build-service");
  private String ownerName;
  private String owner;
  private JsonNode gitToken;
  private String git;

  @BeforeEach
  void aUserWithAGitToken() {
    ownerName = unique("dev");
    owner = user(ownerName);
    gitToken = create(List.of("git"));
    git = gitToken.path("token").asString();
  }

  @Test
  void aServiceLearnsWhoseValidTokenItIs() {
    Response verified = api.post(buildService, VERIFY, Map.of("token", git, "scope", "git"));
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.json().path("username").asString()).isEqualTo(ownerName);
    assertThat(verified.json().path("scopes").valueStream().map(JsonNode::asString))
        .containsExactly("git");
    assertThat(verified.json().path("expiresAt").asString())
        .isEqualTo(gitToken.path("expiresAt").asString());
    assertThat(verified.json().has("token")).isFalse();
    // a push is a use
    JsonNode listed = api.get(owner, "/api/v1/tokens").json().path("items").get(0);
    assertThat(listed.path("lastUsedAt").isNull()).isFalse();
  }

  @Test
  void theOwnersRoleInTheTenantAskedAboutComesWithTheAnswer() {
    String tenant = unique("acme");
    assertThat(api.post(owner, "/api/v1/tenants", Map.of("name", tenant)).status()).isEqualTo(201);
    String other = unique("other");
    assertThat(api.post(user(unique("else")), "/api/v1/tenants", Map.of("name", other)).status())
        .isEqualTo(201);

    Map<String, String> roles = new java.util.LinkedHashMap<>();
    for (String asked : List.of(tenant, other, unique("nowhere"))) {
      Response verified =
          api.post(buildService, VERIFY, Map.of("token", git, "scope", "git", "tenant", asked));
      assertThat(verified.status()).isEqualTo(200);
      assertThat(verified.json().path("username").asString()).isEqualTo(ownerName);
      roles.put(asked, verified.json().path("role").asString(null));
    }
    // the creator is its tenant's admin; a member of nothing else
    assertThat(roles.values()).containsExactly("tenant-admin", null, null);
    assertThat(
            api.post(buildService, VERIFY, Map.of("token", git, "scope", "git"))
                .json()
                .path("role")
                .isNull())
        .isTrue();
  }

  @Test
  void onlyServicesMayAskEvenWithAValidToken() {
    String apiToken = create(List.of("api")).path("token").asString();
    Map<String, Object> body = Map.of("token", git, "scope", "git");
    Response[] attempts = {
      api.post(owner, VERIFY, body),
      api.post(platformAdmin(unique("root")), VERIFY, body),
      api.post(apiToken, VERIFY, body),
      // refused before the body is looked at: a caller that may not ask learns only that
      api.post(owner, VERIFY, Map.of("scope", "nonsense")),
    };
    for (Response refused : attempts) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problemType()).isEqualTo(PROBLEMS + "forbidden");
      assertThat(refused.text()).doesNotContain(ownerName);
    }
    assertThat(api.post(null, VERIFY, body).status()).isEqualTo(401);
  }

  @Test
  void aTokenWithoutTheScopeIsInvalid() {
    String apiToken = create(List.of("api")).path("token").asString();
    Response refused = api.post(buildService, VERIFY, Map.of("token", apiToken, "scope", "git"));
    assertInvalid(refused, "missing-scope");
    assertThat(refused.json().path("scopes").valueStream().map(JsonNode::asString))
        .containsExactly("api");
    assertThat(refused.json().path("detail").asString()).contains("scopes api", "scope git");
  }

  @Test
  void unknownRevokedAndExpiredTokensAreInvalid() {
    for (String unknown : List.of("slp_" + "Z".repeat(40), "hunter2", "")) {
      assertInvalid(
          api.post(buildService, VERIFY, Map.of("token", unknown, "scope", "git")), "unknown");
    }

    JsonNode expiring = create(List.of("git"));
    jdbc.sql(
            "update personal_access_token set created_at = now() - interval '2 days',"
                + " expires_at = now() - interval '1 second' where id = ?")
        .param(expiring.path("id").asLong())
        .update();
    assertInvalid(
        api.post(
            buildService,
            VERIFY,
            Map.of("token", expiring.path("token").asString(), "scope", "git")),
        "expired");

    assertThat(api.delete(owner, "/api/v1/tokens/" + gitToken.path("id").asLong()).status())
        .isEqualTo(204);
    assertInvalid(api.post(buildService, VERIFY, Map.of("token", git, "scope", "git")), "revoked");
  }

  @Test
  void onlyBuildServiceAndRuntimeBridgeMayVerifyTokens() {
    // runtime-bridge verifies the personal access tokens its API is called with
    Response bridge =
        api.post(service("runtime-bridge"), VERIFY, Map.of("token", git, "scope", "git"));
    assertThat(bridge.status()).isEqualTo(200);
    assertThat(bridge.json().path("username").asString()).isEqualTo(ownerName);
    Response user = api.post(owner, VERIFY, Map.of("token", git, "scope", "git"));
    assertThat(user.status()).isEqualTo(403);
    assertThat(user.json().path("detail").asString())
        .isEqualTo("Only build-service, runtime-bridge may call this");
  }

  @Test
  void badRequestsFromAServiceAreRefusedAsSuch() {
    Response noToken = api.post(buildService, VERIFY, Map.of("scope", "git"));
    assertThat(noToken.status()).isEqualTo(400);
    assertThat(noToken.problemType()).isEqualTo(PROBLEMS + "invalid-request");
    Response badScope = api.post(buildService, VERIFY, Map.of("token", git, "scope", "push"));
    assertThat(badScope.status()).isEqualTo(400);
    assertThat(badScope.json().path("errors").get(0).path("field").asString()).isEqualTo("scope");
  }

  private static void assertInvalid(Response refused, String reason) {
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + "invalid-token");
    assertThat(refused.json().path("reason").asString()).isEqualTo(reason);
    assertThat(refused.json().has("username")).isFalse();
  }

  private JsonNode create(List<String> scopes) {
    Response created = api.post(owner, "/api/v1/tokens", Map.of("name", "push", "scopes", scopes));
    assertThat(created.status()).isEqualTo(201);
    return created.json();
  }
}
