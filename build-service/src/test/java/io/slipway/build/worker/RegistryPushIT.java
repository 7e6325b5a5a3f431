package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.governance.ImageAttestations;
import io.slipway.build.process.CommandRunner;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.registry.RegistryAuthProperties;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Tenancy;
import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.OciAttachment;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestRegistry;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code slipway.build.registry.url} set, a built image is pushed with skopeo to an OCI
 * registry (Debian's {@code docker-registry}, started here on a free loopback port, plain HTTP),
 * and the manifest the build records by digest is served by the registry's HTTP API, with the
 * platform's signature and the image's SBOM beside it as attachments; pushed again after a key
 * rotation, the digest has both keys' signatures.
 */
class RegistryPushIT extends BuildServiceTest {

  private static TestRegistry registry;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path work;
  @Autowired Keyring keyring;
  @Autowired ImageAttestations attestations;
  @Autowired RegistryProperties registryProperties;
  @Autowired RegistryAuthProperties registryAuth;
  @Autowired BuildQueue queue;
  private String image;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("slipway.build.registry.url", () -> "127.0.0.1:" + startRegistry());
    properties.add("slipway.build.registry.tls-verify", () -> "false");
  }

  private static synchronized int startRegistry() {
    if (registry == null) {
      registry = TestRegistry.start(Commands.freePort());
    }
    return registry.port();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void removeImage() {
    if (image != null) {
      Commands.run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void aBuiltImageIsPushedAndItsManifestIsServedByDigest() throws Exception {
    GitCli git = new GitCli(work);
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    Path repo = busyboxRepository(git, work);
    String commit = git.ok(repo, "rev-parse", "HEAD");
    image = tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;
    git.ok(
        repo,
        "push",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "main");

    JsonNode build = tenancy.awaitSucceeded(baseUrl(), 1);
    String repository = registry.address() + "/" + tenancy.ids().path();
    String reference = build.path("registryImage").asString();
    assertThat(reference).startsWith(repository + "@sha256:");
    String digest = reference.substring(reference.indexOf('@') + 1);

    HttpResponse<String> manifest =
        get(
            HttpClient.newHttpClient(),
            "/v2/" + tenancy.ids().path() + "/manifests/" + digest,
            "application/vnd.oci.image.manifest.v1+json,"
                + " application/vnd.docker.distribution.manifest.v2+json");
    assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
    assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
    assertThat(manifest.body()).contains("\"layers\"");
    HttpResponse<String> tag =
        get(
            HttpClient.newHttpClient(),
            "/v2/" + tenancy.ids().path() + "/tags/list",
            "application/json");
    assertThat(tag.body()).contains(commit);

    verifySignatureAttachment(tenancy.ids().path(), repository, digest);
    verifySbomAttachment(tenancy.ids().path(), digest, build.path("id").asString());

    // The same digest pushed again after a key rotation keeps the first key's signature beside
    // the new key's: two layers, each verified by its own key, read back by the platform's reader.
    String firstKey = keyring.activeKeyId();
    String secondKey = keyring.rotate();
    Build stored = queue.byId(UUID.fromString(build.path("id").asString())).orElseThrow();
    List<String> log = new ArrayList<>();
    RegistryPush.Pushed again =
        new RegistryPush(registryProperties, registryAuth, new CommandRunner(), attestations)
            .push(stored, image, Files.createDirectories(work.resolve("again")), log::add)
            .orElseThrow();
    assertThat(again.failed()).as(String.join("\n", log)).isFalse();
    assertThat(again.reference()).isEqualTo(reference);
    assertThat(log).anyMatch(line -> line.contains("2 signatures of this digest"));
    JsonNode sigManifest =
        JSON.readTree(
            get(
                    HttpClient.newHttpClient(),
                    "/v2/"
                        + tenancy.ids().path()
                        + "/manifests/"
                        + digest.replace(':', '-')
                        + ".sig",
                    "application/vnd.oci.image.manifest.v1+json")
                .body());
    assertThat(sigManifest.path("layers")).hasSize(2);
    List<String> keys = new ArrayList<>();
    for (JsonNode layer : sigManifest.path("layers")) {
      String keyId = layer.path("annotations").path("io.slipway.signing/key-id").asString();
      keys.add(keyId);
      assertThat(verifyLayer(tenancy.ids().path(), layer, keyId)).isEqualTo("Verified OK");
    }
    assertThat(keys).containsExactly(firstKey, secondKey);
  }

  /**
   * The image's SBOM is beside it as {@code cosign attach sbom} keeps one: the manifest tagged
   * {@code sha256-<hex>.sbom}, one CycloneDX layer, byte for byte the SBOM the build API serves.
   */
  private void verifySbomAttachment(String name, String digest, String buildId) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> sbom =
        get(
            http,
            "/v2/" + name + "/manifests/" + digest.replace(':', '-') + ".sbom",
            "application/vnd.oci.image.manifest.v1+json");
    assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(200);
    JsonNode layer = JSON.readTree(sbom.body()).path("layers").get(0);
    assertThat(layer.path("mediaType").asString()).isEqualTo("application/vnd.cyclonedx+json");
    byte[] document = blob(http, name, layer.path("digest").asString());
    assertThat(document).isEqualTo(attestations.sbom(UUID.fromString(buildId)).orElseThrow());
    assertThat(JSON.readTree(document).path("bomFormat").asString()).isEqualTo("CycloneDX");
  }

  /** openssl's verdict on one signature layer of the attachment, with the key {@code keyId}. */
  private String verifyLayer(String name, JsonNode layer, String keyId) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Path payload =
        Files.write(
            work.resolve("payload-" + keyId + ".json"),
            blob(http, name, layer.path("digest").asString()));
    Path signature =
        Files.write(
            work.resolve("sig-" + keyId + ".der"),
            Base64.getDecoder()
                .decode(
                    layer
                        .path("annotations")
                        .path("dev.cosignproject.cosign/signature")
                        .asString()));
    Path key =
        Files.writeString(work.resolve("key-" + keyId + ".pem"), keyring.publicKeyPem(keyId));
    return openssl(key, signature, payload);
  }

  /**
   * The image's signature is in the registry as cosign and containers/image keep it: the manifest
   * tagged {@code sha256-<hex>.sig}, one simple-signing layer naming this repository and digest,
   * the signature in its annotation, verified by openssl with the platform key (and not with
   * another key, nor over a payload edited to name another digest). Debian's skopeo and podman are
   * built with sigstore verification disabled, so openssl checks the signature here.
   */
  private void verifySignatureAttachment(String name, String repository, String digest)
      throws Exception {
    String sigTag = digest.replace(':', '-') + ".sig";
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> sig =
        get(
            http,
            "/v2/" + name + "/manifests/" + sigTag,
            "application/vnd.oci.image.manifest.v1+json");
    assertThat(sig.statusCode()).as(sig.body()).isEqualTo(200);
    assertThat(sig.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.oci.image.manifest.v1+json");
    JsonNode manifest = JSON.readTree(sig.body());
    assertThat(manifest.path("layers")).hasSize(1);
    JsonNode layer = manifest.path("layers").get(0);
    assertThat(layer.path("mediaType").asString())
        .isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    byte[] payload = blob(http, name, layer.path("digest").asString());
    JsonNode critical = JSON.readTree(payload).path("critical");
    assertThat(critical.path("identity").path("docker-reference").asString()).isEqualTo(repository);
    assertThat(critical.path("image").path("docker-manifest-digest").asString()).isEqualTo(digest);
    assertThat(critical.path("type").asString()).isEqualTo("cosign container image signature");
    byte[] config = blob(http, name, manifest.path("config").path("digest").asString());
    assertThat(JSON.readTree(config).path("rootfs").path("diff_ids").get(0).asString())
        .isEqualTo(layer.path("digest").asString());

    Path payloadFile = Files.write(work.resolve("payload.json"), payload);
    Path signature =
        Files.write(
            work.resolve("sig.der"),
            Base64.getDecoder()
                .decode(
                    layer
                        .path("annotations")
                        .path("dev.cosignproject.cosign/signature")
                        .asString()));
    Path key =
        Files.writeString(work.resolve("key.pem"), keyring.publicKeyPem(keyring.activeKeyId()));
    assertThat(openssl(key, signature, payloadFile)).isEqualTo("Verified OK");
    Keyring other = Keyring.open(work.resolve("other-keys"));
    Path otherKey =
        Files.writeString(work.resolve("other.pem"), other.publicKeyPem(other.activeKeyId()));
    assertThat(openssl(otherKey, signature, payloadFile)).isEqualTo("Verification failure");
    Path tampered =
        Files.writeString(
            work.resolve("tampered.json"),
            new String(payload, StandardCharsets.UTF_8)
                .replace(digest, "sha256:" + "0".repeat(64)));
    assertThat(openssl(key, signature, tampered)).isEqualTo("Verification failure");

    // a standard client reads the attachment unchanged
    assertThat(
            Commands.ok(
                "skopeo",
                "inspect",
                "--raw",
                "--tls-verify=false",
                "docker://" + repository + ":" + sigTag))
        .contains(sig.body().strip());
  }

  private static byte[] blob(HttpClient http, String name, String digest) throws Exception {
    HttpResponse<byte[]> blob =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + registry.address() + "/v2/" + name + "/blobs/" + digest))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(blob.statusCode()).isEqualTo(200);
    assertThat(OciAttachment.digest(blob.body())).isEqualTo(digest);
    return blob.body();
  }

  private static String openssl(Path key, Path signature, Path payload) {
    return Commands.run(
            "openssl",
            "dgst",
            "-sha256",
            "-verify",
            key.toString(),
            "-signature",
            signature.toString(),
            payload.toString())
        .output()
        .strip();
  }

  private static HttpResponse<String> get(HttpClient http, String path, String accept)
      throws IOException, InterruptedException {
    return registry.get(http, path, accept);
  }
}
