package io.slipway.build.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cleanup.CatalogEventConsumer;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.ServiceClients;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestRegistry;
import io.slipway.testing.TestTenantService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry token auth against Debian's real {@code docker-registry} (distribution 2.8), configured
 * with {@code auth.token} pointing at this build-service and the certificate it wrote, and real
 * skopeo as the client: a build pushes with the platform credential, a tenant's robot reads and
 * writes its tenant's repositories only, and another tenant's robot can neither pull nor push them
 * nor list the catalog.
 */
class RegistryAuthIT extends BuildServiceTest {

  private static final int REGISTRY_PORT = Commands.freePort();
  private static final Path CERT = DATA_DIR.resolve("registry-auth-test/root-cert.pem");
  private static final String REGISTRY = "127.0.0.1:" + REGISTRY_PORT;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static TestRegistry registry;

  @TempDir Path work;
  @Autowired CatalogEventConsumer catalogEvents;
  private String image;

  @DynamicPropertySource
  static void registryAuth(DynamicPropertyRegistry properties) {
    properties.add("slipway.build.registry.url", () -> REGISTRY);
    properties.add("slipway.build.registry.tls-verify", () -> "false");
    properties.add("slipway.build.registry.auth.enabled", () -> "true");
    properties.add(
        "slipway.build.registry.auth.platform-password", () -> "platform-secret-of-this-test");
    properties.add("slipway.build.registry.auth.root-cert-bundle", CERT::toString);
  }

  /** Started once build-service listens (its port is the realm) and has written the certificate. */
  @BeforeEach
  void startRegistry() {
    if (registry == null) {
      registry =
          TestRegistry.startWithTokenAuth(
              REGISTRY_PORT,
              new TestRegistry.TokenAuth(
                  "http://127.0.0.1:" + port + "/v2/token",
                  "slipway-registry",
                  "slipway-build",
                  CERT));
    }
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void robotsReachTheirOwnTenantsRepositoriesOnly() throws Exception {
    Tenancy a = new Tenancy(TestTenantService.url());
    Tenancy b = new Tenancy(TestTenantService.url());
    String reference = buildAndPush(a);
    String tenantA = a.ids().tenantId();
    assertThat(reference).startsWith(REGISTRY + "/" + a.ids().path() + "@sha256:");

    String writerA = created(robot(a, a.owner.jwt(), "ci", "read-write"));
    String readerA = created(robot(a, a.owner.jwt(), "reader", null));
    String writerB = created(robot(b, b.owner.jwt(), "ci", "read-write"));

    // A's robots read the image the build pushed with the platform credential
    assertThat(inspect(writerA, reference).exitCode()).isZero();
    assertThat(inspect(readerA, reference).exitCode()).isZero();
    // B's robot, anonymous clients and a wrong password do not
    assertDenied(inspect(writerB, reference));
    assertDenied(Commands.run("skopeo", "inspect", "--tls-verify=false", "docker://" + reference));
    assertDenied(inspect(a.tenant + "+ci:" + "0".repeat(64), reference));

    // A's writer pushes under A; A's reader and B's writer may not
    String copyA = REGISTRY + "/" + tenantA + "/copies/one:1";
    assertThat(copy(writerA, reference, copyA).exitCode()).isZero();
    assertThat(inspect(readerA, "docker://" + copyA).exitCode()).isZero();
    assertDenied(copy(readerA, reference, REGISTRY + "/" + tenantA + "/copies/two:1"));
    assertDenied(pushLocal(writerB, REGISTRY + "/" + tenantA + "/copies/three:1"));
    // B's writer pushes under B
    assertThat(pushLocal(writerB, REGISTRY + "/" + b.ids().tenantId() + "/copies/one:1").exitCode())
        .isZero();

    // a token asked for the catalog grants nothing, and the registry refuses it
    HttpResponse<String> token = token(writerB, "registry:catalog:*");
    assertThat(token.statusCode()).isEqualTo(200);
    String bearer = JSON.readTree(token.body()).path("token").asString();
    assertThat(claims(bearer).path("access")).isEmpty();
    assertThat(claims(bearer).path("exp").asLong() - claims(bearer).path("iat").asLong())
        .isEqualTo(300);
    assertThat(registryGet("/v2/_catalog", bearer).statusCode()).isEqualTo(401);
    // the same for A's repository asked with B's robot: a token, no access in it
    assertThat(
            claims(
                    JSON.readTree(
                            token(writerB, "repository:" + a.ids().path() + ":pull,push").body())
                        .path("token")
                        .asString())
                .path("access"))
        .isEmpty();
    // the platform credential pushes only while a build of the repository runs: not now
    assertThat(
            claims(
                    JSON.readTree(
                            token(
                                    "slipway-build:platform-secret-of-this-test",
                                    "repository:" + a.ids().path() + ":pull,push")
                                .body())
                        .path("token")
                        .asString())
                .path("access"))
        .isEmpty();

    // a wrong password and an unknown robot get the same 401
    HttpResponse<String> wrong = token(a.tenant + "+ci:" + "1".repeat(64), null);
    HttpResponse<String> unknown = token(a.tenant + "+nobody:" + "1".repeat(64), null);
    for (HttpResponse<String> refused : List.of(wrong, unknown)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValue("Basic realm=\"slipway registry\"");
    }
    assertThat(wrong.body()).isEqualTo(unknown.body());

    // a revoked robot gets no further token
    assertThat(token(writerB, null).statusCode()).isEqualTo(200);
    Json.Response deleted = Json.send(b.owner.jwt(), "DELETE", robotsUrl(b.tenant) + "/ci", null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    assertThat(token(writerB, null).statusCode()).isEqualTo(401);
    assertDenied(
        Commands.run(
            "skopeo",
            "inspect",
            "--tls-verify=false",
            "--creds=" + writerB,
            "docker://" + REGISTRY + "/" + b.ids().tenantId() + "/copies/one:1"));
  }

  @Test
  void onlyTheTenantsAdminManagesItsRobots() throws Exception {
    Tenancy a = new Tenancy(TestTenantService.url());
    Tenancy b = new Tenancy(TestTenantService.url());
    String viewer = a.member("viewer").jwt();
    String developer = a.member("developer").jwt();
    Json.Response made = robot(a, a.owner.jwt(), "deploy", null);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().path("username").asString()).isEqualTo(a.tenant + "+deploy");
    assertThat(made.json().path("password").asString()).matches("[0-9a-f]{64}");

    // another tenant's admin: as if A did not exist
    String other = b.owner.jwt();
    assertThat(Json.get(other, robotsUrl(a.tenant)).status()).isEqualTo(404);
    assertThat(robot(a, other, "mine", null).status()).isEqualTo(404);
    assertThat(Json.send(other, "DELETE", robotsUrl(a.tenant) + "/deploy", null).status())
        .isEqualTo(404);
    // A's viewer and developer: members, but not admins
    for (String member : new String[] {viewer, developer}) {
      assertThat(Json.get(member, robotsUrl(a.tenant)).status()).isEqualTo(403);
      assertThat(robot(a, member, "mine", null).status()).isEqualTo(403);
      assertThat(Json.send(member, "DELETE", robotsUrl(a.tenant) + "/deploy", null).status())
          .isEqualTo(403);
    }

    Json.Response list = Json.get(a.owner.jwt(), robotsUrl(a.tenant));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json()).hasSize(1);
    assertThat(list.json().get(0).path("access").asString()).isEqualTo("read");
    assertThat(list.body()).doesNotContain(made.json().path("password").asString());

    Json.Response again = robot(a, a.owner.jwt(), "deploy", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("type").asString()).endsWith("/robot-exists");
    Json.Response badName = robot(a, a.owner.jwt(), "../x", null);
    assertThat(badName.status()).isEqualTo(422);
    assertThat(badName.json().path("type").asString()).endsWith("/invalid-robot-name");
    Json.Response badAccess = robot(a, a.owner.jwt(), "x", "admin");
    assertThat(badAccess.status()).isEqualTo(422);
    assertThat(Json.send(a.owner.jwt(), "DELETE", robotsUrl(a.tenant) + "/none", null).status())
        .isEqualTo(404);
    // B's robot of the same name is B's: deleting A's leaves it
    String robotB = created(robot(b, other, "deploy", null));
    assertThat(Json.send(a.owner.jwt(), "DELETE", robotsUrl(a.tenant) + "/deploy", null).status())
        .isEqualTo(204);
    assertThat(Json.get(other, robotsUrl(b.tenant)).json()).hasSize(1);
    assertThat(token(robotB, null).statusCode()).isEqualTo(200);

    // a deleted tenant's robots go with it
    b.delete();
    catalogEvents.catchUp();
    assertThat(token(robotB, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aProjectsPullCredentialGoesWithItsTenantAndARotationEndsTheOldPassword() throws Exception {
    Tenancy a = new Tenancy(TestTenantService.url());
    BuildService bridge =
        ServiceClients.create(
            BuildService.class,
            URI.create(baseUrl()),
            () -> TestKeycloak.serviceToken("runtime-bridge"));
    BuildService.PullCredentialRequest request =
        new BuildService.PullCredentialRequest(a.ids().tenantId(), a.ids().projectId());
    BuildService.PullCredential first = bridge.pullCredential(request);
    String scope = "repository:" + a.ids().path() + ":pull,push";
    HttpResponse<String> granted = token(login(first), scope);
    assertThat(granted.statusCode()).isEqualTo(200);
    JsonNode access = jwtClaims(granted).path("access");
    assertThat(access).hasSize(1);
    assertThat(access.get(0).path("actions").toString()).isEqualTo("[\"pull\"]");

    // issued again (the namespace's Secret was deleted): the old password is refused at once
    BuildService.PullCredential second = bridge.pullCredential(request);
    assertThat(token(login(first), scope).statusCode()).isEqualTo(401);
    assertThat(token(login(second), scope).statusCode()).isEqualTo(200);

    a.delete();
    catalogEvents.catchUp();
    assertThat(token(login(second), scope).statusCode()).isEqualTo(401);
  }

  private static String login(BuildService.PullCredential credential) {
    return credential.username() + ":" + credential.password();
  }

  private static JsonNode jwtClaims(HttpResponse<String> answer) {
    return claims(JSON.readTree(answer.body()).path("token").asString());
  }

  /** Builds a one-file image in {@code a}'s app and returns the reference the build pushed. */
  private String buildAndPush(Tenancy a) throws Exception {
    GitCli git = new GitCli(work);
    Path repo = busyboxRepository(git, work);
    image = a.image(IMAGE_PREFIX, "site") + ":" + git.ok(repo, "rev-parse", "HEAD");
    images.add(image);
    a.push(git, repo, port);
    JsonNode build = a.awaitEnded(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(a.log(baseUrl(), 1)).isEqualTo("succeeded");
    return build.path("registryImage").asString();
  }

  private String robotsUrl(String tenant) {
    return baseUrl() + "/api/v1/tenants/" + tenant + "/registry-robots";
  }

  private Json.Response robot(Tenancy tenancy, String jwt, String name, String access) {
    return Json.post(
        jwt,
        robotsUrl(tenancy.tenant),
        access == null ? Map.of("name", name) : Map.of("name", name, "access", access));
  }

  /** {@code username:password} of a robot just created. */
  private static String created(Json.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().path("username").asString()
        + ":"
        + response.json().path("password").asString();
  }

  private static Commands.Result inspect(String credentials, String reference) {
    return Commands.run(
        "skopeo",
        "inspect",
        "--raw",
        "--tls-verify=false",
        "--creds=" + credentials,
        reference.startsWith("docker://") ? reference : "docker://" + reference);
  }

  /** The image the build made, from local storage to {@code to}. */
  private Commands.Result pushLocal(String credentials, String to) {
    return Commands.run(
        "skopeo",
        "copy",
        "--dest-creds=" + credentials,
        "--dest-tls-verify=false",
        "containers-storage:" + image,
        "docker://" + to);
  }

  private static Commands.Result copy(String credentials, String from, String to) {
    return Commands.run(
        "skopeo",
        "copy",
        "--src-creds=" + credentials,
        "--dest-creds=" + credentials,
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        "docker://" + from,
        "docker://" + to);
  }

  private static void assertDenied(Commands.Result result) {
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).containsAnyOf("unauthorized", "denied", "authentication required");
  }

  private HttpResponse<String> token(String credentials, String scope) throws Exception {
    String url = baseUrl() + "/v2/token?service=slipway-registry";
    if (scope != null) {
      url += "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(url))
              .header(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> registryGet(String path, String bearer) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://" + REGISTRY + path))
              .header("Authorization", "Bearer " + bearer)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JsonNode claims(String jwt) {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }
}
