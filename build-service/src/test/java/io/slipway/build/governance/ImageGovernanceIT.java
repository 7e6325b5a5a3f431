package io.slipway.build.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.signing.Keyring;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestTenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry governance in build-service, end to end: a repository pushed with git, built by buildah,
 * whose image gets an SBOM listing exactly the packages put in it, a scan, and a platform signature
 * that {@code openssl} verifies; an OSV advisory imported by a platform admin rescans it; the
 * attestation served to runtime-bridge by digest; and who may read what.
 */
class ImageGovernanceIT extends BuildServiceTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path work;
  @Autowired Keyring keyring;
  @Autowired AdvisoryFiles advisoryFiles;
  private String image;

  @AfterEach
  void removeImage() {
    if (image != null) {
      Commands.run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void builtImageIsDescribedScannedSignedAndRescanned() throws Exception {
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String npmName = "left-pad-" + suffix;
    Path slf4j =
        Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String slf4jVersion = slf4j.getParent().getFileName().toString();
    Path repo =
        git.newRepository(
            work.resolve("site"),
            Map.of(
                "Containerfile",
                """
                FROM scratch
                COPY busybox /bin/busybox
                COPY app /app
                USER 65534
                CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/app"]
                """,
                "app/node_modules/" + npmName + "/package.json",
                "{\"name\":\"" + npmName + "\",\"version\":\"1.1.0\"}",
                "app/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"));
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    Files.createDirectories(repo.resolve("app/lib"));
    Files.copy(slf4j, repo.resolve("app/lib/slf4j-api.jar"));
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "binaries");
    String commit = git.ok(repo, "rev-parse", "HEAD");
    image = tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;
    git.ok(
        repo,
        "push",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "main");
    String builds =
        baseUrl() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds";
    JsonNode build = tenancy.awaitSucceeded(baseUrl(), 1);
    String digest = build.path("digest").asString();
    assertThat(digest).startsWith("sha256:");
    assertThat(build.path("signed").asBoolean()).isTrue();
    assertThat(build.path("vulnerabilities").path("critical").asInt()).isZero();
    assertThat(
            Json.get(tenancy.owner.jwt(), builds)
                .json()
                .path("items")
                .get(0)
                .path("signed")
                .asBoolean())
        .isTrue();

    // the SBOM lists exactly what was put in the image
    HttpResponse<byte[]> sbom = download(tenancy.owner.jwt(), builds + "/1/sbom");
    assertThat(sbom.statusCode()).isEqualTo(200);
    assertThat(sbom.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.cyclonedx+json");
    JsonNode bom = JSON.readTree(sbom.body());
    assertThat(bom.path("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.path("metadata").path("component").path("version").asString()).isEqualTo(digest);
    List<String> purls = new ArrayList<>();
    bom.path("components").forEach(c -> purls.add(c.path("purl").asString()));
    assertThat(purls)
        .containsExactlyInAnyOrder(
            "pkg:npm/" + npmName + "@1.1.0",
            "pkg:pypi/requests@2.31.0",
            "pkg:maven/org.slf4j/slf4j-api@" + slf4jVersion);

    // signed with the platform key, in a format openssl verifies
    JsonNode scan = Json.get(tenancy.owner.jwt(), builds + "/1/scan").json();
    assertThat(scan.path("signed").asBoolean()).isTrue();
    assertThat(scan.path("keyId").asString()).isEqualTo(keyring.activeKeyId());
    assertThat(scan.path("findings")).isEmpty();
    String service = TestKeycloak.serviceToken("runtime-bridge");
    Json.Response internal = Json.get(service, baseUrl() + "/api/v1/internal/images/" + digest);
    assertThat(internal.status()).as(internal.body()).isEqualTo(200);
    JsonNode signature = internal.json().path("signature");
    assertThat(signature.path("payload").asString()).contains(digest);
    assertThat(internal.json().path("sbom").path("components")).hasSize(3);
    Files.writeString(work.resolve("payload.json"), signature.path("payload").asString());
    Files.write(
        work.resolve("sig.der"),
        Base64.getDecoder().decode(signature.path("signature").asString()));
    Files.writeString(work.resolve("key.pem"), keyring.publicKeyPem(keyring.activeKeyId()));
    assertThat(
            Commands.ok(
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                work.resolve("key.pem").toString(),
                "-signature",
                work.resolve("sig.der").toString(),
                work.resolve("payload.json").toString()))
        .contains("Verified OK");

    // an advisory for the npm package, imported by a platform admin, rescans the stored SBOM
    String advisory =
        """
        {"id": "SLWTEST-%s", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-%s"],
         "summary": "pads wrongly", "database_specific": {"severity": "CRITICAL"},
         "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]},
          {"package": {"ecosystem": "npm", "name": "%s-other"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "2.0.0"}]}]}]}
        """
            .formatted(suffix, suffix, npmName, npmName);
    String admin = "root-" + suffix;
    String adminToken =
        TestKeycloak.userToken(admin, TestKeycloak.createUser(admin, "platform-admin"));
    assertThat(upload(tenancy.owner.jwt(), advisory).statusCode()).isEqualTo(403);
    HttpResponse<String> imported = upload(adminToken, advisory);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    JsonNode report = JSON.readTree(imported.body());
    assertThat(report.path("imported").asInt()).isEqualTo(1);
    assertThat(report.path("changed").asBoolean()).isTrue();
    assertThat(report.path("rescanned").asInt()).isPositive();
    scan = Json.get(tenancy.owner.jwt(), builds + "/1/scan").json();
    assertThat(scan.path("advisoryRevision").asString())
        .isEqualTo(report.path("advisoryRevision").asString());
    assertThat(scan.path("findings")).hasSize(1);
    JsonNode finding = scan.path("findings").get(0);
    assertThat(finding.path("advisoryId").asString()).isEqualTo("SLWTEST-" + suffix);
    assertThat(finding.path("package").asString()).isEqualTo(npmName);
    assertThat(finding.path("version").asString()).isEqualTo("1.1.0");
    assertThat(finding.path("ecosystem").asString()).isEqualTo("npm");
    assertThat(finding.path("severity").asString()).isEqualTo("CRITICAL");
    assertThat(finding.path("fixedVersion").asString()).isEqualTo("1.3.0");
    assertThat(
            Json.get(tenancy.owner.jwt(), builds + "/1")
                .json()
                .path("vulnerabilities")
                .path("critical")
                .asInt())
        .isEqualTo(1);
    // the same file again changes nothing
    assertThat(JSON.readTree(upload(adminToken, advisory).body()).path("changed").asBoolean())
        .isFalse();

    // a restart re-imports the kept files: the same revision
    Path advisoriesDir = DATA_DIR.resolve(".governance/advisories");
    assertThat(new AdvisoryFiles(advisoriesDir, new AdvisoryDatabase()).database().revision())
        .isEqualTo(advisoryFiles.database().revision());

    // access: another tenant's user, a user's token on the internal endpoint, unknown digests
    String stranger = tenancy.user("stranger").jwt();
    assertThat(Json.get(stranger, builds + "/1/scan").status()).isEqualTo(404);
    assertThat(download(stranger, builds + "/1/sbom").statusCode()).isEqualTo(404);
    assertThat(
            Json.get(tenancy.owner.jwt(), baseUrl() + "/api/v1/internal/images/" + digest).status())
        .isEqualTo(403);
    assertThat(
            Json.get(service, baseUrl() + "/api/v1/internal/images/sha256:" + "0".repeat(64))
                .status())
        .isEqualTo(404);
    assertThat(TestKeycloak.serviceToken("build-service")).isNotNull();
    assertThat(
            Json.get(
                    TestKeycloak.serviceToken("build-service"),
                    baseUrl() + "/api/v1/internal/images/" + digest)
                .status())
        .isEqualTo(403);
  }

  @Test
  void keysAreGeneratedAtTheFirstStartAndThePrivateKeyIsReadableByItsOwnerOnly() throws Exception {
    Path keys = DATA_DIR.resolve(".governance/keys");
    assertThat(Files.readString(keys.resolve("active")).strip()).isEqualTo(keyring.activeKeyId());
    try (Stream<Path> files = Files.list(keys.resolve("private"))) {
      assertThat(files.toList())
          .isNotEmpty()
          .allSatisfy(
              f ->
                  assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                      .isEqualTo("rw-------"));
    }
    assertThat(keys.resolve("trusted/" + keyring.activeKeyId() + ".pem")).exists();
  }

  private HttpResponse<byte[]> download(String token, String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<String> upload(String token, String osv) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/admin/advisories"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(osv, StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
