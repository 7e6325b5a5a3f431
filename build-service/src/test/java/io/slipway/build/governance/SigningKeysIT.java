package io.slipway.build.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.TrustedKeys;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestTenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Key rotation and distrust through the admin API, with real Keycloak tokens: who may call it, and
 * what a rotation and a distrust do to real builds: the next build is signed by the new key, an
 * image signed by the old key keeps verifying (in build-service and for a verifier that has only
 * the public keys, as runtime-bridge has) until the old key is distrusted.
 */
class SigningKeysIT extends BuildServiceTest {

  private static final String KEYS = "/api/v1/admin/signing-keys";

  @TempDir Path work;
  @Autowired Keyring keyring;

  @Test
  void onlyPlatformAdminsMayListRotateOrDistrust() throws Exception {
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    String developer = tenancy.owner.jwt();
    String active = keyring.activeKeyId();

    assertThat(Json.get(developer, baseUrl() + KEYS).status()).isEqualTo(403);
    Json.Response rotate = Json.post(developer, baseUrl() + KEYS, null);
    assertThat(rotate.status()).isEqualTo(403);
    assertThat(rotate.json().path("type").asString())
        .isEqualTo("https://slipway.io/problems/forbidden");
    assertThat(rotate.json().path("detail").asString())
        .isEqualTo("Rotating the signing key needs the platform-admin role");
    assertThat(Json.send(developer, "DELETE", baseUrl() + KEYS + "/" + active, null).status())
        .isEqualTo(403);
    assertThat(keyring.activeKeyId()).as("nothing rotated").isEqualTo(active);

    for (String method : List.of("GET", "POST", "DELETE")) {
      String url = baseUrl() + KEYS + (method.equals("DELETE") ? "/" + active : "");
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .method(method, HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as(method).isEqualTo(401);
    }
    assertThat(Json.get(TestKeycloak.tampered(platformAdmin()), baseUrl() + KEYS).status())
        .isEqualTo(401);
  }

  @Test
  void listsTheKeysWithTheirPublicKeysAndNoPrivateMaterial() throws Exception {
    Json.Response list = Json.get(platformAdmin(), baseUrl() + KEYS);

    assertThat(list.status()).as(list.body()).isEqualTo(200);
    String active = keyring.activeKeyId();
    List<JsonNode> actives = new ArrayList<>();
    list.json()
        .forEach(
            key -> {
              if (key.path("active").asBoolean()) {
                actives.add(key);
              }
            });
    assertThat(actives).hasSize(1);
    JsonNode key = actives.get(0);
    assertThat(key.path("id").asString()).isEqualTo(active);
    assertThat(key.path("trusted").asBoolean()).isTrue();
    assertThat(key.path("publicKeyPem").asString()).isEqualTo(keyring.publicKeyPem(active));
    assertThat(Instant.parse(key.path("createdAt").asString())).isBefore(Instant.now());
    assertThat(list.body()).doesNotContain("PRIVATE");
    String privatePem =
        Files.readString(DATA_DIR.resolve(".governance/keys/private/" + active + ".pem"));
    String privateBody = privatePem.lines().skip(1).findFirst().orElseThrow();
    assertThat(list.body()).doesNotContain(privateBody);

    Json.Response unknown = Json.get(platformAdmin(), baseUrl() + KEYS + "/" + "ab".repeat(32));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("type").asString())
        .isEqualTo("https://slipway.io/problems/not-found");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void afterARotationNewBuildsUseTheNewKeyAndOldImagesVerifyUntilTheOldKeyIsDistrusted(
      CapturedOutput output) throws Exception {
    String adminName = "root-" + UUID.randomUUID().toString().substring(0, 8);
    String admin =
        TestKeycloak.userToken(adminName, TestKeycloak.createUser(adminName, "platform-admin"));
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repo = Files.createDirectories(work.resolve("site"));
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    git.newRepository(
        repo,
        Map.of(
            "Containerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nCOPY index.html /www/\nUSER 65534\n",
            "index.html",
            "one\n"));
    String oldKey = keyring.activeKeyId();
    JsonNode first = pushAndBuild(tenancy, git, repo, 1);
    assertThat(first.path("signed").asBoolean()).isTrue();
    assertThat(scan(tenancy, 1).path("keyId").asString()).isEqualTo(oldKey);
    ImageSignature oldSignature = internalSignature(first.path("digest").asString());
    TrustedKeys bridge = TrustedKeys.load(DATA_DIR.resolve(".governance/keys/trusted"));
    assertThat(bridge.verify(oldSignature).valid()).isTrue();

    // rotate
    Json.Response rotated = Json.post(admin, baseUrl() + KEYS, null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    String newKey = rotated.json().path("id").asString();
    assertThat(newKey).matches("[0-9a-f]{64}").isNotEqualTo(oldKey);
    assertThat(rotated.json().path("active").asBoolean()).isTrue();
    assertThat(rotated.json().path("trusted").asBoolean()).isTrue();
    assertThat(rotated.json().path("publicKeyPem").asString())
        .startsWith("-----BEGIN PUBLIC KEY-----");
    Json.Response listed = Json.get(admin, baseUrl() + KEYS);
    assertThat(state(listed.json(), oldKey)).isEqualTo("trusted");
    assertThat(state(listed.json(), newKey)).isEqualTo("active");
    assertThat(DATA_DIR.resolve(".governance/keys/private/" + oldKey + ".pem"))
        .as("the old private key is gone")
        .doesNotExist();

    // the next build is signed by the new key; the old image still verifies
    Files.writeString(repo.resolve("index.html"), "two\n");
    git.ok(repo, "commit", "-q", "-am", "two");
    JsonNode second = pushAndBuild(tenancy, git, repo, 2);
    assertThat(second.path("signed").asBoolean()).isTrue();
    assertThat(scan(tenancy, 2).path("keyId").asString()).isEqualTo(newKey);
    ImageSignature newSignature = internalSignature(second.path("digest").asString());
    assertThat(newSignature.keyId()).isEqualTo(newKey);
    assertThat(scan(tenancy, 1).path("signed").asBoolean()).isTrue();
    assertThat(scan(tenancy, 1).path("keyId").asString()).isEqualTo(oldKey);
    assertThat(bridge.verify(oldSignature).valid()).isTrue();
    assertThat(bridge.verify(newSignature).valid()).isTrue();

    // the active key cannot be distrusted; unknown keys are 404
    Json.Response refused = Json.send(admin, "DELETE", baseUrl() + KEYS + "/" + newKey, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("type").asString())
        .isEqualTo("https://slipway.io/problems/active-signing-key");
    assertThat(refused.json().path("detail").asString()).contains("rotate first");
    assertThat(Json.send(admin, "DELETE", baseUrl() + KEYS + "/" + "cd".repeat(32), null).status())
        .isEqualTo(404);
    assertThat(Json.send(admin, "DELETE", baseUrl() + KEYS + "/not-a-key", null).status())
        .isEqualTo(404);

    // distrust the old key: its image no longer verifies, the new one does
    Json.Response distrusted = Json.send(admin, "DELETE", baseUrl() + KEYS + "/" + oldKey, null);
    assertThat(distrusted.status()).as(distrusted.body()).isEqualTo(204);
    assertThat(scan(tenancy, 1).path("signed").asBoolean()).isFalse();
    assertThat(build(tenancy, 1).path("signed").asBoolean()).isFalse();
    assertThat(scan(tenancy, 2).path("signed").asBoolean()).isTrue();
    assertThat(bridge.verify(oldSignature).valid()).isFalse();
    assertThat(bridge.verify(newSignature).valid()).isTrue();
    assertThat(state(Json.get(admin, baseUrl() + KEYS).json(), oldKey)).isEqualTo("distrusted");
    assertThat(Json.send(admin, "DELETE", baseUrl() + KEYS + "/" + oldKey, null).status())
        .as("distrusting again changes nothing")
        .isEqualTo(204);

    // both changes are in the log, with key ids and who did it, and nothing private
    assertThat(output.getAll())
        .contains(
            "Image signing key rotated by "
                + adminName
                + ": "
                + newKey
                + " signs now, "
                + oldKey
                + " stays trusted")
        .contains("Image signing key " + oldKey + " distrusted by " + adminName)
        .doesNotContain("PRIVATE KEY");
  }

  private JsonNode pushAndBuild(Tenancy tenancy, GitCli git, Path repo, int number) {
    String commit = git.ok(repo, "rev-parse", "HEAD");
    images.add(tenancy.image(IMAGE_PREFIX, "site") + ":" + commit);
    git.ok(
        repo,
        "push",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "main");
    return tenancy.awaitSucceeded(baseUrl(), number);
  }

  private JsonNode build(Tenancy tenancy, int number) {
    return Json.get(tenancy.owner.jwt(), builds(tenancy) + "/" + number).json();
  }

  private JsonNode scan(Tenancy tenancy, int number) {
    return Json.get(tenancy.owner.jwt(), builds(tenancy) + "/" + number + "/scan").json();
  }

  private String builds(Tenancy tenancy) {
    return baseUrl() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds";
  }

  private ImageSignature internalSignature(String digest) {
    Json.Response internal =
        Json.get(
            TestKeycloak.serviceToken("runtime-bridge"),
            baseUrl() + "/api/v1/internal/images/" + digest);
    assertThat(internal.status()).as(internal.body()).isEqualTo(200);
    JsonNode signature = internal.json().path("signature");
    return new ImageSignature(
        signature.path("payload").asString(),
        signature.path("signature").asString(),
        signature.path("keyId").asString());
  }

  /** {@code active}, {@code trusted}, {@code distrusted} or {@code missing}. */
  private static String state(JsonNode keys, String id) {
    for (JsonNode key : keys) {
      if (key.path("id").asString().equals(id)) {
        if (key.path("active").asBoolean()) {
          return "active";
        }
        return key.path("trusted").asBoolean() ? "trusted" : "distrusted";
      }
    }
    return "missing";
  }

  private static String platformAdmin() {
    String name = "root-" + UUID.randomUUID().toString().substring(0, 8);
    return TestKeycloak.userToken(name, TestKeycloak.createUser(name, "platform-admin"));
  }
}
