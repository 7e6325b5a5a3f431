package io.slipway.build.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.TrustedKeys;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.ServiceClients;
import io.slipway.testing.TestKeycloak;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.HttpClientErrorException;

/**
 * What runtime-bridge's admission verifies with, served by build-service, their owner (issue 20),
 * through the kit's {@code BuildService} client with runtime-bridge's real service token: the
 * trusted public keys (after a rotation both, after a distrust not the distrusted one, never a
 * private key) and the kept OSV files from a cursor, byte for byte; nobody else may read them.
 */
class InternalGovernanceIT extends BuildServiceTest {

  @Autowired Keyring keyring;

  private BuildService asBridge() {
    return ServiceClients.create(
        BuildService.class,
        URI.create(baseUrl()),
        () -> TestKeycloak.serviceToken("runtime-bridge"));
  }

  @Test
  void servesTheTrustedPublicKeysThroughRotationAndDistrust() throws Exception {
    String admin = platformAdmin();
    String old = keyring.activeKeyId();
    Json.Response rotated = Json.post(admin, baseUrl() + "/api/v1/admin/signing-keys", null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    String current = rotated.json().path("id").asString();

    BuildService.SigningKeys keys = asBridge().trustedSigningKeys();
    assertThat(keys.keys()).extracting(BuildService.PublicKey::keyId).contains(old, current);
    keys.keys()
        .forEach(
            k -> {
              assertThat(k.publicKeyPem())
                  .isEqualTo(keyring.publicKeyPem(k.keyId()))
                  .startsWith("-----BEGIN PUBLIC KEY-----")
                  .doesNotContain("PRIVATE");
            });
    TrustedKeys verifier =
        TrustedKeys.of(keys.keys().stream().map(BuildService.PublicKey::publicKeyPem).toList());
    assertThat(verifier.keyIds())
        .as("each key's id, computed from the key, is the id served")
        .containsExactlyInAnyOrderElementsOf(
            keys.keys().stream().map(BuildService.PublicKey::keyId).toList());
    assertThat(
            verifier.verify(keyring.sign("localhost/x/y/z", "sha256:" + "3a".repeat(32))).valid())
        .isTrue();

    Json.Response distrusted =
        Json.send(admin, "DELETE", baseUrl() + "/api/v1/admin/signing-keys/" + old, null);
    assertThat(distrusted.status()).as(distrusted.body()).isEqualTo(204);
    assertThat(asBridge().trustedSigningKeys().keys())
        .extracting(BuildService.PublicKey::keyId)
        .contains(current)
        .doesNotContain(old);
  }

  @Test
  void servesTheKeptAdvisoryFilesFromACursorAsImported() throws Exception {
    String admin = platformAdmin();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    BuildService bridge = asBridge();
    byte[] json = osv("SLWIT-" + suffix + "-1").getBytes(StandardCharsets.UTF_8);
    assertThat(upload(admin, json, "application/json").statusCode()).isEqualTo(200);

    List<BuildService.AdvisoryFile> all = bridge.advisories(null).files();
    assertThat(all).isNotEmpty();
    BuildService.AdvisoryFile first = all.getLast();
    assertThat(first.size()).isEqualTo(json.length);
    try (InputStream in = bridge.advisoryFile(first.name())) {
      assertThat(in.readAllBytes()).isEqualTo(json);
    }
    assertThat(bridge.advisories(first.name()).files()).as("nothing after the last").isEmpty();

    byte[] zip = zip("SLWIT-" + suffix + "-2.json", osv("SLWIT-" + suffix + "-2"));
    assertThat(upload(admin, zip, "application/zip").statusCode()).isEqualTo(200);
    BuildService.AdvisoryFiles after = bridge.advisories(first.name());
    assertThat(after.files()).hasSize(1);
    assertThat(after.files().getFirst().name()).endsWith(".zip");
    // replaying every kept file reaches build-service's own revision
    AdvisoryDatabase replayed = new AdvisoryDatabase();
    for (BuildService.AdvisoryFile file : bridge.advisories(null).files()) {
      try (InputStream in = bridge.advisoryFile(file.name())) {
        if (file.name().endsWith(".zip")) {
          replayed.importZip(file.name(), in);
        } else {
          replayed.importJson(file.name(), in.readAllBytes());
        }
      }
    }
    assertThat(replayed.revision()).isEqualTo(after.revision());
    assertThat(replayed.advisory("SLWIT-" + suffix + "-2")).isPresent();

    // never a path outside the kept files, however the name is spelled
    for (String name : List.of("..%2Fkeys%2Factive", "..%2F..%2F.governance%2Fkeys%2Factive")) {
      assertThat(
              raw(
                      TestKeycloak.serviceToken("runtime-bridge"),
                      "/api/v1/internal/advisories/" + name)
                  .statusCode())
          .as(name)
          .isIn(400, 404);
    }
    assertThatThrownBy(() -> bridge.advisoryFile("nothing-" + suffix + ".json").close())
        .isInstanceOf(HttpClientErrorException.NotFound.class);
  }

  @Test
  void onlyRuntimeBridgesTokenMayRead() throws Exception {
    String file =
        asBridge().advisories(null).files().stream()
            .findFirst()
            .map(BuildService.AdvisoryFile::name)
            .orElse("x.json");
    for (String path :
        List.of(
            "/api/v1/internal/signing-keys",
            "/api/v1/internal/advisories",
            "/api/v1/internal/advisories/" + file)) {
      assertThat(raw(TestKeycloak.serviceToken("build-service"), path).statusCode())
          .as(path + " with another service's token")
          .isEqualTo(403);
      assertThat(raw(platformAdmin(), path).statusCode())
          .as(path + " with a platform admin's token")
          .isEqualTo(403);
      assertThat(raw(TestKeycloak.tampered(TestKeycloak.serviceToken("runtime-bridge")), path))
          .extracting(HttpResponse::statusCode)
          .as(path + " with a tampered token")
          .isEqualTo(401);
      assertThat(raw(null, path).statusCode()).as(path + " without a token").isEqualTo(401);
    }
  }

  private HttpResponse<String> raw(String token, String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(String token, byte[] body, String contentType)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/admin/advisories"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String osv(String id) {
    return """
        {"id": "%s", "modified": "2026-01-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "npm", "name": "left-pad-%s"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
        """
        .formatted(id, id.toLowerCase());
  }

  private static byte[] zip(String name, String content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry(name));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String platformAdmin() {
    String name = "root-" + UUID.randomUUID().toString().substring(0, 8);
    return TestKeycloak.userToken(name, TestKeycloak.createUser(name, "platform-admin"));
  }
}
