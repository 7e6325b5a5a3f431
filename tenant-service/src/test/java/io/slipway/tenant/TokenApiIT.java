package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Personal access tokens through the REST API, on real PostgreSQL: made, listed, used, revoked. */
class TokenApiIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";
  private static final String TOKENS = "/api/v1/tokens";

  @Autowired JdbcClient jdbc;

  @Test
  void aTokenIsShownOnceActsAsItsOwnerAndStopsAtOnceWhenRevoked() {
    String aliceName = unique("alice");
    String alice = user(aliceName);

    Response created =
        api.post(
            alice, TOKENS, Map.of("name", "laptop", "scopes", List.of("api"), "expiresInDays", 7));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().path("token").asString();
    long id = created.json().path("id").asLong();
    assertThat(secret).matches("slp_[0-9A-Za-z]{40}");
    assertThat(scopes(created.json())).containsExactly("api");
    assertThat(created.json().path("name").asString()).isEqualTo("laptop");
    assertThat(Duration.between(at(created.json(), "createdAt"), at(created.json(), "expiresAt")))
        .isEqualTo(Duration.ofDays(7));

    Response list = api.get(alice, TOKENS);
    assertThat(list.json().path("total").asLong()).isEqualTo(1);
    JsonNode listed = list.json().path("items").get(0);
    assertThat(listed.path("id").asLong()).isEqualTo(id);
    assertThat(listed.path("prefix").asString()).isEqualTo(secret.substring(0, 12));
    assertThat(listed.path("status").asString()).isEqualTo("active");
    assertThat(listed.path("lastUsedAt").isNull()).isTrue();
    assertThat(listed.has("token")).isFalse();
    assertThat(list.text()).doesNotContain(secret.substring(12));

    // the token acts as alice: her tenants, her name on what she makes
    String tenant = unique("pat");
    Response tenantCreated = api.post(secret, "/api/v1/tenants", Map.of("name", tenant));
    assertThat(tenantCreated.status()).isEqualTo(201);
    assertThat(tenantCreated.json().path("createdBy").asString()).isEqualTo(aliceName);
    assertThat(names(api.get(secret, "/api/v1/tenants"))).containsExactly(tenant);
    assertThat(names(api.get(alice, "/api/v1/tenants"))).containsExactly(tenant);
    assertThat(api.get(alice, TOKENS).json().path("items").get(0).path("lastUsedAt").isNull())
        .isFalse();

    assertThat(api.delete(alice, TOKENS + "/" + id).status()).isEqualTo(204);
    Response refused = api.get(secret, "/api/v1/tenants");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + "unauthorized");
    assertThat(api.delete(alice, TOKENS + "/" + id).status()).isEqualTo(204);
    JsonNode revoked = api.get(alice, TOKENS).json().path("items").get(0);
    assertThat(revoked.path("status").asString()).isEqualTo("revoked");
    assertThat(revoked.path("revokedAt").isNull()).isFalse();

    // audited once each, platform-wide, never with the secret
    Response trail = api.get(platformAdmin("root"), "/api/v1/admin/audit?actor=" + aliceName);
    assertThat(trail.json().path("items").valueStream().map(e -> e.path("action").asString()))
        .containsExactly("token.revoked", "tenant.created", "token.created");
    JsonNode creation = trail.json().path("items").get(2);
    assertThat(creation.path("tenant").isNull()).isTrue();
    assertThat(creation.path("target").asString()).isEqualTo("tokens/" + id);
    assertThat(creation.path("after").path("name").asString()).isEqualTo("laptop");
    assertThat(trail.json().path("items").get(0).path("after").path("status").asString())
        .isEqualTo("revoked");
    assertThat(trail.text()).doesNotContain(secret.substring(12));
  }

  @Test
  void anExpiredTokenIsRefusedAtOnce() {
    String alice = user(unique("alice"));
    JsonNode token = create(alice, List.of("api"));
    String secret = token.path("token").asString();
    assertThat(api.get(secret, "/api/v1/tenants").status()).isEqualTo(200);

    jdbc.sql(
            "update personal_access_token set created_at = now() - interval '2 days',"
                + " expires_at = now() - interval '1 second' where id = ?")
        .param(token.path("id").asLong())
        .update();

    Response refused = api.get(secret, "/api/v1/tenants");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + "unauthorized");
    assertThat(api.get(alice, TOKENS).json().path("items").get(0).path("status").asString())
        .isEqualTo("expired");
  }

  @Test
  void aGitOnlyTokenMayNotUseTheApi() {
    String secret = create(user(unique("alice")), List.of("git")).path("token").asString();

    for (Response refused :
        List.of(api.get(secret, "/api/v1/tenants"), api.post(secret, TOKENS, newToken()))) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problemType()).isEqualTo(PROBLEMS + "token-scope");
      assertThat(refused.json().path("detail").asString()).contains("scopes git", "scope api");
      assertThat(scopes(refused.json())).containsExactly("git");
    }
  }

  @Test
  void anUnknownTokenIsUnauthorizedLikeABadJwt() {
    Response refused = api.get("slp_" + "x".repeat(40), "/api/v1/tenants");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + "unauthorized");
    assertThat(refused.raw().headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("invalid_token");
    assertThat(api.get("slp_not-even-the-format", "/api/v1/tenants").status()).isEqualTo(401);
  }

  @Test
  void aTokenIsInvisibleAndUntouchableForOtherUsers() {
    String alice = user(unique("alice"));
    String bob = user(unique("bob"));
    JsonNode token = create(alice, List.of("api"));
    long id = token.path("id").asLong();
    create(bob, List.of("git"));

    Response bobs = api.get(bob, TOKENS);
    assertThat(bobs.json().path("total").asLong()).isEqualTo(1);
    assertThat(bobs.json().path("items").get(0).path("id").asLong()).isNotEqualTo(id);
    for (long unknown : new long[] {id, Long.MAX_VALUE}) {
      Response refused = api.delete(bob, TOKENS + "/" + unknown);
      assertThat(refused.status()).isEqualTo(404);
      assertThat(refused.problemType()).isEqualTo(PROBLEMS + "not-found");
      assertThat(refused.json().path("detail").asString())
          .isEqualTo("token '" + unknown + "' was not found");
    }
    assertThat(api.get(token.path("token").asString(), "/api/v1/tenants").status()).isEqualTo(200);
  }

  @Test
  void aTokenCannotManageTokens() {
    String alice = user(unique("alice"));
    JsonNode token = create(alice, List.of("api", "git"));
    String secret = token.path("token").asString();

    Response[] attempts = {
      api.post(secret, TOKENS, newToken()),
      api.get(secret, TOKENS),
      api.delete(secret, TOKENS + "/" + token.path("id").asLong()),
    };
    for (Response refused : attempts) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problemType()).isEqualTo(PROBLEMS + "forbidden");
      assertThat(refused.json().path("detail").asString()).contains("interactive sign-in");
    }
    JsonNode mine = api.get(alice, TOKENS).json();
    assertThat(mine.path("total").asLong()).isEqualTo(1);
    assertThat(mine.path("items").get(0).path("status").asString()).isEqualTo("active");
  }

  @Test
  void aTokenNeverCarriesPlatformAdminOrServicePowers() {
    String admin = platformAdmin(unique("root"));
    String secret = create(admin, List.of("api")).path("token").asString();
    assertThat(api.get(admin, "/api/v1/admin/tenants").status()).isEqualTo(200);
    Response asToken = api.get(secret, "/api/v1/admin/tenants");
    assertThat(asToken.status()).isEqualTo(403);
    assertThat(asToken.problemType()).isEqualTo(PROBLEMS + "forbidden");

    Response byService = api.post(service(unique("build")), TOKENS, newToken());
    assertThat(byService.status()).isEqualTo(403);
    assertThat(byService.json().path("detail").asString()).contains("Services");
  }

  @Test
  void lastUseIsRecordedAtMostOnceAMinute() {
    String alice = user(unique("alice"));
    JsonNode token = create(alice, List.of("api"));
    long id = token.path("id").asLong();
    String secret = token.path("token").asString();

    api.get(secret, "/api/v1/tenants");
    Instant first = lastUsed(alice);
    assertThat(first).isNotNull();
    api.get(secret, "/api/v1/tenants");
    assertThat(lastUsed(alice)).isEqualTo(first);

    jdbc.sql(
            "update personal_access_token set last_used_at = last_used_at - interval '2 minutes'"
                + " where id = ?")
        .param(id)
        .update();
    Instant backdated = lastUsed(alice);
    api.get(secret, "/api/v1/tenants");
    assertThat(lastUsed(alice)).isAfter(backdated).isAfterOrEqualTo(first);
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("{\"scopes\":[\"api\"]}", "invalid-request", "name"),
        Arguments.of("{\"name\":\"  \",\"scopes\":[\"api\"]}", "invalid-request", "name"),
        Arguments.of(
            "{\"name\":\"" + "n".repeat(101) + "\",\"scopes\":[\"api\"]}",
            "invalid-request",
            "name"),
        Arguments.of("{\"name\":\"n\"}", "invalid-request", "scopes"),
        Arguments.of("{\"name\":\"n\",\"scopes\":[]}", "invalid-request", "scopes"),
        Arguments.of("{\"name\":\"n\",\"scopes\":[\"admin\"]}", "invalid-request", "scopes[0]"),
        Arguments.of("{\"name\":\"n\",\"scopes\":[\"api\",null]}", "invalid-request", "scopes[1]"),
        Arguments.of(
            "{\"name\":\"n\",\"scopes\":[\"api\"],\"expiresInDays\":0}",
            "invalid-request",
            "expiresInDays"),
        Arguments.of(
            "{\"name\":\"n\",\"scopes\":[\"api\"],\"expiresInDays\":366}",
            "invalid-request",
            "expiresInDays"),
        Arguments.of(
            "{\"name\":\"n\",\"scopes\":[\"api\"],\"expiresInDays\":\"soon\"}",
            "malformed-body",
            null),
        Arguments.of("{\"name\":", "malformed-body", null));
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void badRequestsAreRefusedWithProblemsAndMakeNothing(String body, String type, String field) {
    String alice = user(unique("alice"));
    Response refused = api.post(alice, TOKENS, body);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo(PROBLEMS + type);
    if (field != null) {
      assertThat(refused.json().path("errors").valueStream().map(e -> e.path("field").asString()))
          .containsExactly(field);
    }
    assertThat(api.get(alice, TOKENS).json().path("total").asLong()).isZero();
  }

  @Test
  void badParametersAreRefusedWithProblems() {
    String alice = user(unique("alice"));
    Response notAnId = api.delete(alice, TOKENS + "/abc");
    assertThat(notAnId.status()).isEqualTo(400);
    assertThat(notAnId.problemType()).isEqualTo(PROBLEMS + "invalid-parameter");
    Response badPage = api.get(alice, TOKENS + "?size=0");
    assertThat(badPage.status()).isEqualTo(422);
    assertThat(badPage.problemType()).isEqualTo(PROBLEMS + "invalid-page");
    assertThat(api.get(null, TOKENS).status()).isEqualTo(401);
  }

  @Test
  void theListIsPagedNewestFirst() {
    String alice = user(unique("alice"));
    for (String name : List.of("one", "two", "three")) {
      assertThat(api.post(alice, TOKENS, Map.of("name", name, "scopes", List.of("git"))).status())
          .isEqualTo(201);
    }
    JsonNode page = api.get(alice, TOKENS + "?page=1&size=2").json();
    assertThat(page.path("total").asLong()).isEqualTo(3);
    assertThat(page.path("page").asInt()).isEqualTo(1);
    assertThat(names(page)).containsExactly("one");
    assertThat(names(api.get(alice, TOKENS + "?size=2").json())).containsExactly("three", "two");
    // 30 days unless asked otherwise
    JsonNode first = page.path("items").get(0);
    assertThat(Duration.between(at(first, "createdAt"), at(first, "expiresAt")))
        .isEqualTo(Duration.ofDays(30));
  }

  private JsonNode create(String jwt, List<String> scopes) {
    Response created = api.post(jwt, TOKENS, Map.of("name", "token", "scopes", scopes));
    assertThat(created.status()).isEqualTo(201);
    return created.json();
  }

  private Instant lastUsed(String jwt) {
    JsonNode node = api.get(jwt, TOKENS).json().path("items").get(0).path("lastUsedAt");
    return node.isNull() ? null : Instant.parse(node.asString());
  }

  private static Map<String, Object> newToken() {
    return Map.of("name", "another", "scopes", List.of("api"));
  }

  private static Instant at(JsonNode node, String field) {
    return Instant.parse(node.path(field).asString());
  }

  private static List<String> scopes(JsonNode node) {
    return node.path("scopes").valueStream().map(JsonNode::asString).toList();
  }

  private static List<String> names(Response response) {
    return names(response.json());
  }

  private static List<String> names(JsonNode page) {
    return page.path("items").valueStream().map(t -> t.path("name").asString()).toList();
  }
}
