package io.slipway.build.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestTenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * build-service's API with a personal access token instead of a Keycloak JWT: the token acts as its
 * owner with the owner's role in the tenant, needs the scope {@code api}, and stops working the
 * moment it is revoked.
 */
class PersonalAccessTokenApiIT extends BuildServiceTest {

  private Tenancy tenancy;
  private String builds;

  @BeforeEach
  void aTenantWithAnApp() {
    tenancy = new Tenancy(TestTenantService.url());
    builds =
        baseUrl()
            + "/api/v1/tenants/"
            + tenancy.tenant
            + "/projects/"
            + tenancy.project
            + "/apps/"
            + tenancy.app
            + "/builds";
  }

  @Test
  void aTokenWithTheApiScopeActsAsItsOwnerWithTheOwnersRole() {
    String ownerApi = token(tenancy.owner.jwt(), "api");
    Json.Response listed = Json.get(ownerApi, builds);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.json().path("total").asLong()).isZero();
    // the owner may cancel: past the role check, there is no build 7
    Json.Response cancel = Json.post(ownerApi, builds + "/7/cancel", Map.of());
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(404);
    assertThat(cancel.json().path("detail").asString()).isEqualTo("No build 7 of site");

    String viewerApi = token(tenancy.member("viewer").jwt(), "api");
    assertThat(Json.get(viewerApi, builds).status()).isEqualTo(200);
    Json.Response refused = Json.post(viewerApi, builds + "/7/cancel", Map.of());
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.json().path("detail").asString())
        .isEqualTo(
            "Cancelling a build needs the developer or tenant-admin role in " + tenancy.tenant);
  }

  @Test
  void aTokenWithoutTheApiScopeIsRefusedNamingTheScope() {
    // the owner's git token, good for pushing
    Json.Response refused = Json.get(tenancy.owner.gitToken(), builds);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.json().path("type").asString()).endsWith("/token-scope");
    assertThat(refused.json().path("detail").asString())
        .isEqualTo(
            "This personal access token has the scopes git; the API needs a token with the scope"
                + " api");
    assertThat(Json.post(tenancy.owner.gitToken(), builds + "/1/cancel", Map.of()).status())
        .isEqualTo(403);
  }

  @Test
  void aNonMembersTokenFindsNothing() {
    String strangerApi = token(tenancy.user("mallory").jwt(), "api");
    Json.Response missing = Json.get(strangerApi, builds);
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(missing.json().path("detail").asString()).isEqualTo("No tenant " + tenancy.tenant);
    assertThat(Json.post(strangerApi, builds + "/1/cancel", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void aRevokedOrUnknownTokenIsUnauthorizedAtOnce() {
    JsonNode created = createToken(tenancy.owner.jwt(), "api");
    String token = created.path("token").asString();
    assertThat(Json.get(token, builds).status()).isEqualTo(200);
    Json.Response revoked =
        Json.send(
            tenancy.owner.jwt(),
            "DELETE",
            TestTenantService.url() + "/api/v1/tokens/" + created.path("id").asLong(),
            null);
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
    Json.Response refused = Json.get(token, builds);
    assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    assertThat(refused.json().path("type").asString()).endsWith("/unauthorized");
    assertThat(Json.get("slp_" + "Z".repeat(40), builds).status()).isEqualTo(401);
  }

  @Test
  void aPlatformAdminsTokenHasNoneOfTheAdminsPowers() {
    String name = "admin-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String admin = TestKeycloak.userToken(name, TestKeycloak.createUser(name, "platform-admin"));
    // an admin's own session sees every tenant's builds; the admin's token only the admin's
    assertThat(Json.get(admin, builds).status()).isEqualTo(200);
    assertThat(Json.get(token(admin, "api"), builds).status()).isEqualTo(404);
  }

  @Test
  void theOpenApiDocumentIsPublicTitledAndDeclaresTheBearerScheme() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    io.slipway.testing.ApiDocumentSnapshot.check("build-service", response.body());
    Json.Response document =
        new Json.Response(200, JsonMapper.shared().readTree(response.body()), response.body());
    assertThat(document.json().path("info").path("title").asString())
        .isEqualTo("Slipway build-service API");
    assertThat(document.json().path("info").path("description").asString()).contains("SBOM");
    assertThat(
            document
                .json()
                .path("components")
                .path("securitySchemes")
                .path("bearer")
                .path("scheme")
                .asString())
        .isEqualTo("bearer");
    assertThat(document.json().path("security").get(0).has("bearer")).isTrue();
    assertThat(
            document
                .json()
                .path("paths")
                .has("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/builds"))
        .isTrue();
  }

  private static String token(String jwt, String... scopes) {
    return createToken(jwt, scopes).path("token").asString();
  }

  private static JsonNode createToken(String jwt, String... scopes) {
    Json.Response created =
        Json.post(
            jwt,
            TestTenantService.url() + "/api/v1/tokens",
            Map.of("name", "api-test", "scopes", List.of(scopes)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }
}
