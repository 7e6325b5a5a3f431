package io.slipway.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api;
import io.slipway.tenant.support.Api.Response;
import io.slipway.testing.ResourceServerChecks;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may call what: every tenant-service endpoint, called by every kind of caller, with tokens
 * from the real Keycloak (users sign in on its login page; services use client credentials) and
 * personal access tokens. Every cell is asserted, against a fresh tenant, so no cell depends on
 * another. A new endpoint fails {@link #everyEndpointIsInTheMatrix} until it is added here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixIT {

  /** The callers, in the order of each row's expected statuses. */
  enum Caller {
    ANONYMOUS,
    VIEWER,
    DEVELOPER,
    TENANT_ADMIN,
    OTHER_TENANT,
    PLATFORM_ADMIN,
    PAT_API,
    PAT_GIT,
    BUILD_SERVICE,
    RUNTIME_BRIDGE
  }

  private static final String DATABASE = TestPostgres.newDatabase();

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private Api api;
  private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
  private final Map<Caller, String> names = new EnumMap<>(Caller.class);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestKeycloak::issuer);
  }

  /** A row: one endpoint, how to call it against a fixture, and the status for each caller. */
  record Cell(
      String method,
      String pattern,
      Function<Fixture, String> path,
      Function<Fixture, Object> body,
      String expected) {
    int expectedFor(Caller caller) {
      return Integer.parseInt(expected.trim().split("\\s+")[caller.ordinal()]);
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  /**
   * The objects each cell acts on: a fresh tenant with a project, apps, members and a reservation.
   */
  record Fixture(String tenant, String tokenId, String developer) {}

  static Stream<Cell> matrix() {
    String t = "/api/v1/tenants/{tenant}";
    //                                        anon view dev adm other padm pat-api pat-git build
    // runtime
    return Stream.of(
        cell(
            "POST",
            "/api/v1/tenants",
            f -> "/api/v1/tenants",
            f -> Map.of("name", fresh("t")),
            "401 201 201 201 201 201 201 403 403 403"),
        cell(
            "GET",
            "/api/v1/tenants",
            f -> "/api/v1/tenants",
            null,
            "401 200 200 200 200 200 200 403 200 200"),
        cell("GET", t, f -> tenant(f), null, "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "PATCH",
            t,
            f -> tenant(f),
            f -> Map.of("displayName", "Renamed"),
            "401 403 403 200 404 200 403 403 403 403"),
        // deleting a tenant takes its projects and apps with it (issue 17): no longer 409 not-empty
        cell("DELETE", t, f -> tenant(f), null, "401 403 403 204 404 204 403 403 403 403"),
        cell(
            "GET",
            t + "/members",
            f -> tenant(f) + "/members",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "PUT",
            t + "/members/{username}",
            f -> tenant(f) + "/members/newcomer",
            f -> Map.of("role", "viewer"),
            "401 403 403 200 404 200 403 403 403 403"),
        cell(
            "DELETE",
            t + "/members/{username}",
            f -> tenant(f) + "/members/extra",
            null,
            "401 403 403 204 404 204 403 403 403 403"),
        cell(
            "POST",
            t + "/projects",
            f -> tenant(f) + "/projects",
            f -> Map.of("name", fresh("p")),
            "401 403 201 201 404 201 201 403 403 403"),
        cell(
            "GET",
            t + "/projects",
            f -> tenant(f) + "/projects",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "GET",
            t + "/projects/{project}",
            f -> tenant(f) + "/projects/web",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "DELETE",
            t + "/projects/{project}",
            f -> tenant(f) + "/projects/empty",
            null,
            "401 403 403 204 404 204 403 403 403 403"),
        cell(
            "POST",
            t + "/projects/{project}/apps",
            f -> tenant(f) + "/projects/web/apps",
            f -> Map.of("name", fresh("a")),
            "401 403 201 201 404 201 201 403 403 403"),
        cell(
            "GET",
            t + "/projects/{project}/apps",
            f -> tenant(f) + "/projects/web/apps",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "GET",
            t + "/projects/{project}/apps/{app}",
            f -> tenant(f) + "/projects/web/apps/api",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "DELETE",
            t + "/projects/{project}/apps/{app}",
            f -> tenant(f) + "/projects/web/apps/spare",
            null,
            "401 403 204 204 404 204 204 403 403 403"),
        // previews (issue 25): as apps are, by the same roles
        cell(
            "PUT",
            t + "/projects/{project}/apps/{app}/previews/{preview}",
            f -> tenant(f) + "/projects/web/apps/api/previews/" + fresh("pr"),
            f -> Map.of("pullRequest", 7),
            "401 403 201 201 404 201 201 403 403 403"),
        cell(
            "GET",
            t + "/projects/{project}/apps/{app}/previews",
            f -> tenant(f) + "/projects/web/apps/api/previews",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "GET",
            t + "/projects/{project}/apps/{app}/previews/{preview}",
            f -> tenant(f) + "/projects/web/apps/api/previews/pr-1",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "DELETE",
            t + "/projects/{project}/apps/{app}/previews/{preview}",
            f -> tenant(f) + "/projects/web/apps/api/previews/pr-1",
            null,
            "401 403 204 204 404 204 204 403 403 403"),
        cell(
            "GET",
            t + "/quota",
            f -> tenant(f) + "/quota",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "PUT",
            t + "/quota",
            f -> tenant(f) + "/quota",
            f -> fullQuota(),
            "401 403 403 403 404 200 403 403 403 403"),
        cell(
            "GET",
            t + "/projects/{project}/quota",
            f -> tenant(f) + "/projects/web/quota",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "PUT",
            t + "/projects/{project}/quota",
            f -> tenant(f) + "/projects/web/quota",
            f -> Map.of("replicas", 5),
            "401 403 403 200 404 200 403 403 403 403"),
        // a project's preview bounds: read as its quota is, set by its tenant's admins
        cell(
            "GET",
            t + "/projects/{project}/preview-settings",
            f -> tenant(f) + "/projects/web/preview-settings",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "PUT",
            t + "/projects/{project}/preview-settings",
            f -> tenant(f) + "/projects/web/preview-settings",
            f -> Map.of("previewTtl", "3d", "previewPolicy", "replace-oldest"),
            "401 403 403 200 404 200 403 403 403 403"),
        cell(
            "GET",
            t + "/usage",
            f -> tenant(f) + "/usage",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "GET",
            t + "/usage/history",
            f -> tenant(f) + "/usage/history?days=7",
            null,
            "401 200 200 200 404 200 200 403 200 200"),
        cell(
            "GET",
            t + "/audit",
            f -> tenant(f) + "/audit",
            null,
            "401 403 403 200 404 200 403 403 403 403"),
        cell(
            "POST",
            t + "/reservations",
            f -> tenant(f) + "/reservations",
            f -> compute(),
            "401 403 403 403 404 201 403 403 403 201"),
        cell(
            "POST",
            t + "/reservations",
            f -> tenant(f) + "/reservations",
            f -> build(),
            "401 403 403 403 404 201 403 403 201 403"),
        cell(
            "GET",
            t + "/reservations",
            f -> tenant(f) + "/reservations",
            null,
            "401 403 403 403 404 200 403 403 200 200"),
        cell(
            "GET",
            t + "/reservations/{key}",
            f -> tenant(f) + "/reservations/held",
            null,
            "401 403 403 403 404 200 403 403 200 200"),
        cell(
            "DELETE",
            t + "/reservations/{key}",
            f -> tenant(f) + "/reservations/held",
            null,
            "401 403 403 403 404 204 403 403 403 204"),
        cell(
            "PUT",
            t + "/measured-usage/{key}",
            f -> tenant(f) + "/measured-usage/build-store",
            f -> Map.of("storageMib", 10),
            "401 403 403 403 404 200 403 403 200 403"),
        cell(
            "GET",
            "/api/v1/admin/tenants",
            f -> "/api/v1/admin/tenants",
            null,
            "401 403 403 403 403 200 403 403 403 403"),
        cell(
            "GET",
            "/api/v1/admin/audit",
            f -> "/api/v1/admin/audit",
            null,
            "401 403 403 403 403 200 403 403 403 403"),
        cell(
            "POST",
            "/api/v1/tokens",
            f -> "/api/v1/tokens",
            f -> Map.of("name", "x", "scopes", List.of("git")),
            "401 201 201 201 201 201 403 403 403 403"),
        cell(
            "GET",
            "/api/v1/tokens",
            f -> "/api/v1/tokens",
            null,
            "401 200 200 200 200 200 403 403 403 403"),
        cell(
            "DELETE",
            "/api/v1/tokens/{id}",
            f -> "/api/v1/tokens/" + f.tokenId(),
            null,
            "401 404 204 404 404 404 403 403 403 403"),
        cell(
            "POST",
            "/api/v1/internal/tokens/verify",
            f -> "/api/v1/internal/tokens/verify",
            f -> Map.of("token", "slp_unknown", "scope", "git"),
            "401 403 403 403 403 403 403 403 422 422"),
        cell(
            "GET",
            "/api/v1/internal/events",
            f -> "/api/v1/internal/events",
            null,
            "401 403 403 403 403 403 403 403 200 200"),
        // a push to preview/<name>: build-service alone, naming the pusher (the fixture's
        // developer)
        cell(
            "PUT",
            "/api/v1/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}",
            f -> internal(f) + "/projects/web/apps/api/previews/" + fresh("pr"),
            f ->
                Map.of(
                    "pushedBy",
                    f.developer(),
                    "branch",
                    "preview/x",
                    "commit",
                    "0123456789abcdef0123456789abcdef01234567"),
            "401 403 403 403 403 403 403 403 201 403"),
        cell(
            "DELETE",
            "/api/v1/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}",
            f -> internal(f) + "/projects/web/apps/api/previews/pr-1?pushedBy=" + f.developer(),
            null,
            "401 403 403 403 403 403 403 403 204 403"),
        cell(
            "GET",
            "/api/v1/internal/apps",
            f -> "/api/v1/internal/apps",
            null,
            "401 403 403 403 403 403 403 403 403 200"),
        cell(
            "POST",
            "/api/v1/internal/audit",
            f -> "/api/v1/internal/audit",
            f ->
                Map.of(
                    "eventId",
                    fresh("e"),
                    "actor",
                    "someone",
                    "tenant",
                    f.tenant(),
                    "action",
                    "app.deployed",
                    "target",
                    f.tenant() + "/web/api"),
            "401 403 403 403 403 403 403 403 201 201"));
  }

  @BeforeAll
  void callers() {
    api = new Api(port);
    for (Caller caller :
        List.of(Caller.VIEWER, Caller.DEVELOPER, Caller.TENANT_ADMIN, Caller.OTHER_TENANT)) {
      String name =
          caller.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + fresh("u");
      names.put(caller, name);
      tokens.put(caller, TestKeycloak.userToken(name, TestKeycloak.createUser(name)));
    }
    String admin = "padmin-" + fresh("u");
    tokens.put(
        Caller.PLATFORM_ADMIN,
        TestKeycloak.userToken(admin, TestKeycloak.createUser(admin, "platform-admin")));
    tokens.put(Caller.BUILD_SERVICE, TestKeycloak.serviceToken("build-service"));
    tokens.put(Caller.RUNTIME_BRIDGE, TestKeycloak.serviceToken("runtime-bridge"));
    tokens.put(Caller.PAT_API, personalToken(List.of("api")));
    tokens.put(Caller.PAT_GIT, personalToken(List.of("git")));
    // the member of another tenant has a tenant of their own
    expect(
        api.post(tokens.get(Caller.OTHER_TENANT), "/api/v1/tenants", Map.of("name", fresh("o"))),
        201);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void everyCallerGetsExactlyTheAnswerInTheMatrix(Cell cell) {
    List<String> wrong = new ArrayList<>();
    for (Caller caller : Caller.values()) {
      Fixture fixture = fixture();
      Object body = cell.body() == null ? null : cell.body().apply(fixture);
      Response response =
          api.send(tokens.get(caller), cell.method(), cell.path().apply(fixture), body);
      int expected = cell.expectedFor(caller);
      if (response.status() != expected) {
        wrong.add(
            caller
                + ": expected "
                + expected
                + ", got "
                + response.status()
                + " "
                + response.text());
      }
      if (expected == 404 && cell.pattern().startsWith("/api/v1/tenants/")) {
        // exactly what a tenant that does not exist answers, and none of its data
        assertThat(response.json().path("detail").asString())
            .isEqualTo("tenant '" + fixture.tenant() + "' was not found");
      }
    }
    assertThat(wrong).as(cell.toString()).isEmpty();
  }

  /** Tampered tokens, another realm's tokens and garbage are refused; a valid token passes. */
  @Test
  void onlyValidTokensOfTheSlipwayRealmAreAccepted() {
    ResourceServerChecks.assertGuardedByKeycloak("http://127.0.0.1:" + port);
    String tampered = TestKeycloak.tampered(tokens.get(Caller.PLATFORM_ADMIN));
    assertThat(api.get(tampered, "/api/v1/admin/tenants").status()).isEqualTo(401);
  }

  /** Every API endpoint of the service is a row of the matrix. */
  @Test
  void everyEndpointIsInTheMatrix() {
    Set<String> covered = new LinkedHashSet<>();
    matrix().forEach(cell -> covered.add(cell.method() + " " + cell.pattern()));
    Set<String> served = new LinkedHashSet<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(pattern -> pattern.startsWith("/api/"))
                    .forEach(
                        pattern ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> served.add(method + " " + pattern))));
    assertThat(served).isNotEmpty();
    assertThat(covered).containsAll(served);
    assertThat(served).containsAll(covered);
  }

  /**
   * A fresh tenant: projects web and empty, apps api and spare, a preview pr-1 of api, members, a
   * reservation, a PAT.
   */
  private Fixture fixture() {
    String admin = tokens.get(Caller.TENANT_ADMIN);
    String developer = tokens.get(Caller.DEVELOPER);
    String tenant = fresh("m");
    String base = "/api/v1/tenants/" + tenant;
    expect(api.post(admin, "/api/v1/tenants", Map.of("name", tenant)), 201);
    expect(
        api.put(admin, base + "/members/" + names.get(Caller.VIEWER), Map.of("role", "viewer")),
        200);
    expect(
        api.put(
            admin, base + "/members/" + names.get(Caller.DEVELOPER), Map.of("role", "developer")),
        200);
    expect(api.put(admin, base + "/members/extra", Map.of("role", "viewer")), 200);
    expect(api.post(admin, base + "/projects", Map.of("name", "web")), 201);
    expect(api.post(admin, base + "/projects", Map.of("name", "empty")), 201);
    expect(api.post(admin, base + "/projects/web/apps", Map.of("name", "api")), 201);
    expect(api.post(admin, base + "/projects/web/apps", Map.of("name", "spare")), 201);
    expect(api.put(admin, base + "/projects/web/apps/api/previews/pr-1", null), 201);
    Map<String, Object> held = new HashMap<>(compute());
    held.put("idempotencyKey", "held");
    // held by runtime-bridge, as every compute reservation is
    expect(api.post(tokens.get(Caller.RUNTIME_BRIDGE), base + "/reservations", held), 201);
    Response token =
        api.post(developer, "/api/v1/tokens", Map.of("name", "fixture", "scopes", List.of("git")));
    expect(token, 201);
    return new Fixture(tenant, token.json().path("id").asString(), names.get(Caller.DEVELOPER));
  }

  private String personalToken(List<String> scopes) {
    Response created =
        api.post(
            tokens.get(Caller.DEVELOPER),
            "/api/v1/tokens",
            Map.of("name", "matrix", "scopes", scopes));
    expect(created, 201);
    return created.json().path("token").asString();
  }

  private static void expect(Response response, int status) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
  }

  private static Cell cell(
      String method,
      String pattern,
      Function<Fixture, String> path,
      Function<Fixture, Object> body,
      String expected) {
    assertThat(expected.trim().split("\\s+")).hasSize(Caller.values().length);
    return new Cell(method, pattern, path, body, expected);
  }

  private static String tenant(Fixture fixture) {
    return "/api/v1/tenants/" + fixture.tenant();
  }

  private static String internal(Fixture fixture) {
    return "/api/v1/internal/tenants/" + fixture.tenant();
  }

  private static String fresh(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static Map<String, Object> compute() {
    return Map.of("idempotencyKey", fresh("k"), "project", "web", "replicas", 1, "memoryMib", 128);
  }

  private static Map<String, Object> build() {
    return Map.of(
        "idempotencyKey", fresh("k"), "project", "web", "concurrentBuilds", 1, "buildMinutes", 10);
  }

  private static Map<String, Object> fullQuota() {
    Map<String, Object> quota = new HashMap<>();
    quota.put("cpuMillicores", 2000);
    quota.put("memoryMib", 4096);
    quota.put("apps", 10);
    quota.put("replicas", 10);
    quota.put("concurrentBuilds", 2);
    quota.put("buildMinutes", 100);
    quota.put("storageMib", 1024);
    return quota;
  }
}
