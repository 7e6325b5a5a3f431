package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The bridge's API with a personal access token instead of a Keycloak JWT: the token acts as its
 * owner with the owner's role in the tenant, needs the scope {@code api}, and stops working the
 * moment it is revoked.
 */
class PersonalAccessTokenApiIT extends ApiFixture {

  private static final String ENV = "{\"env\":{\"GREETING\":\"hello\"}}";

  @Test
  void aTokenWithTheApiScopeActsAsItsOwnerWithTheOwnersRole() throws Exception {
    String alice = aliceWithApp();
    String viewer = member("viewer", alice);
    try {
      String aliceApi = token(alice, "api");
      assertThat(bridge(aliceApi, "GET", appPath + "/deployments", null, 200).has("revisions"))
          .isTrue();
      JsonNode set = bridge(aliceApi, "PUT", appPath + "/env", ENV, 200);
      assertThat(set.path("env").path("GREETING").asString()).isEqualTo("hello");
      assertThat(
              bridge(alice, "GET", appPath + "/env", null, 200)
                  .path("env")
                  .path("GREETING")
                  .asString())
          .isEqualTo("hello");

      // a viewer's token reads, and may not change the app
      String viewerApi = token(viewer, "api");
      assertThat(
              bridge(viewerApi, "GET", appPath + "/env", null, 200)
                  .path("env")
                  .path("GREETING")
                  .asString())
          .isEqualTo("hello");
      JsonNode refused = bridge(viewerApi, "PUT", appPath + "/env", "{\"env\":{}}", 403);
      assertThat(refused.path("detail").asString()).contains("developer");
      bridge(viewerApi, "POST", appPath + "/scale", "{\"replicas\":2}", 403);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aTokenWithoutTheApiScopeIsRefusedNamingTheScope() throws Exception {
    String alice = aliceWithApp();
    try {
      String gitOnly = token(alice, "git");
      JsonNode refused = bridge(gitOnly, "GET", appPath + "/deployments", null, 403);
      assertThat(refused.path("type").asString()).endsWith("/token-scope");
      assertThat(refused.path("detail").asString())
          .isEqualTo(
              "This personal access token has the scopes git; the API needs a token with the"
                  + " scope api");
      assertThat(refused.path("scopes").valueStream().map(JsonNode::asString))
          .containsExactly("git");
      bridge(gitOnly, "PUT", appPath + "/env", ENV, 403);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aNonMembersTokenFindsNothing() throws Exception {
    String alice = aliceWithApp();
    try {
      String strangerApi = token(user("mallory"), "api");
      JsonNode missing = bridge(strangerApi, "GET", appPath + "/deployments", null, 404);
      assertThat(missing.path("detail").asString()).doesNotContain("member");
      bridge(strangerApi, "PUT", appPath + "/env", ENV, 404);
      bridge(strangerApi, "GET", "/api/v1/tenants/" + tenant + "/image-policy", null, 404);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aRevokedOrUnknownTokenIsUnauthorizedAtOnce() throws Exception {
    String alice = aliceWithApp();
    try {
      JsonNode created = createToken(alice, "api");
      String token = created.path("token").asString();
      bridge(token, "GET", appPath + "/deployments", null, 200);
      tenantService(alice, "DELETE", "/api/v1/tokens/" + created.path("id").asLong(), null, 204);
      JsonNode refused = bridge(token, "GET", appPath + "/deployments", null, 401);
      assertThat(refused.path("type").asString()).endsWith("/unauthorized");
      bridge("slp_" + "Z".repeat(40), "GET", appPath + "/deployments", null, 401);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aPlatformAdminsTokenHasNoneOfTheAdminsPowers() throws Exception {
    String name = "admin-" + suffix;
    String admin =
        io.slipway.testing.TestKeycloak.userToken(
            name, io.slipway.testing.TestKeycloak.createUser(name, "platform-admin"));
    bridge(admin, "GET", "/api/v1/admin/image-policy", null, 200);
    JsonNode refused = bridge(token(admin, "api"), "GET", "/api/v1/admin/image-policy", null, 403);
    assertThat(refused.path("type").asString()).endsWith("/forbidden");
  }

  @Test
  void theOpenApiDocumentIsPublicTitledAndDeclaresTheBearerScheme() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode document = JSON.readTree(response.body());
    io.slipway.testing.ApiDocumentSnapshot.check("runtime-bridge", response.body());
    assertThat(document.path("info").path("title").asString())
        .isEqualTo("Slipway runtime-bridge API");
    assertThat(document.path("info").path("description").asString()).contains("rollback");
    assertThat(
            document
                .path("components")
                .path("securitySchemes")
                .path("bearer")
                .path("scheme")
                .asString())
        .isEqualTo("bearer");
    assertThat(document.path("security").get(0).has("bearer")).isTrue();
    assertThat(
            document
                .path("paths")
                .has("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/deployments"))
        .isTrue();
  }

  /** A new user who is a member of the test's tenant with {@code role}: the user's JWT. */
  private String member(String role, String owner) throws Exception {
    String name = role + "-" + suffix;
    String jwt = user(role);
    tenantService(
        owner,
        "PUT",
        "/api/v1/tenants/" + tenant + "/members/" + name,
        "{\"role\":\"" + role + "\"}",
        200);
    return jwt;
  }

  private String token(String jwt, String... scopes) throws Exception {
    return createToken(jwt, scopes).path("token").asString();
  }

  private JsonNode createToken(String jwt, String... scopes) throws Exception {
    return JSON.readTree(
        tenantService(
            jwt,
            "POST",
            "/api/v1/tokens",
            JSON.writeValueAsString(
                java.util.Map.of("name", "api-test", "scopes", List.of(scopes))),
            201));
  }
}
