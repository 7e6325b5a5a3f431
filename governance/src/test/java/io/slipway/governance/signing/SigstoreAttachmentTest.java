package io.slipway.governance.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sigstore attachment has the shape containers/image reads with {@code
 * use-sigstore-attachments} and cosign writes: an OCI manifest with one simple-signing layer, the
 * signature in its annotation, every descriptor's digest and size matching its blob.
 */
class SigstoreAttachmentTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String HEX = "3a".repeat(32);
  private static final String REPO = "registry.example.test:5000/acme/web/site";

  @TempDir Path tmp;

  @Test
  void theManifestIsAnOciManifestWithTheSignedPayloadAsItsOnlyLayer() throws IOException {
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    ImageSignature signature = keyring.sign(REPO, "sha256:" + HEX);
    SigstoreAttachment attachment = new SigstoreAttachment(signature);

    assertThat(attachment.tag()).isEqualTo("sha256-" + HEX + ".sig");
    JsonNode manifest = JSON.readTree(attachment.manifest());
    assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(manifest.path("mediaType").asString())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    JsonNode config = manifest.path("config");
    assertThat(config.path("mediaType").asString())
        .isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(config.path("digest").asString())
        .isEqualTo(SigstoreAttachment.digest(attachment.config()));
    assertThat(config.path("size").asInt()).isEqualTo(attachment.config().length);
    assertThat(manifest.path("layers")).hasSize(1);
    JsonNode layer = manifest.path("layers").get(0);
    assertThat(layer.path("mediaType").asString())
        .isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    byte[] payload = signature.payload().getBytes(StandardCharsets.UTF_8);
    assertThat(attachment.payload()).isEqualTo(payload);
    assertThat(layer.path("digest").asString()).isEqualTo(SigstoreAttachment.digest(payload));
    assertThat(layer.path("size").asInt()).isEqualTo(payload.length);
    assertThat(layer.path("annotations").path("dev.cosignproject.cosign/signature").asString())
        .isEqualTo(signature.signature());
    JsonNode configJson = JSON.readTree(attachment.config());
    assertThat(configJson.path("rootfs").path("type").asString()).isEqualTo("layers");
    assertThat(configJson.path("rootfs").path("diff_ids").get(0).asString())
        .isEqualTo(SigstoreAttachment.digest(payload));
  }

  /** containers/image parses the payload with exact fields: nothing more, nothing missing. */
  @Test
  void thePayloadHasExactlyTheFieldsContainersImageAccepts() throws IOException {
    ImageSignature signature = Keyring.open(tmp.resolve("keys")).sign(REPO, "sha256:" + HEX);
    JsonNode payload = JSON.readTree(new SigstoreAttachment(signature).payload());

    assertThat(fieldNames(payload)).containsExactly("critical", "optional");
    assertThat(payload.path("optional").isNull()).isTrue();
    JsonNode critical = payload.path("critical");
    assertThat(fieldNames(critical)).containsExactlyInAnyOrder("identity", "image", "type");
    assertThat(critical.path("type").asString()).isEqualTo("cosign container image signature");
    assertThat(fieldNames(critical.path("identity"))).containsExactly("docker-reference");
    assertThat(critical.path("identity").path("docker-reference").asString()).isEqualTo(REPO);
    assertThat(fieldNames(critical.path("image"))).containsExactly("docker-manifest-digest");
    assertThat(critical.path("image").path("docker-manifest-digest").asString())
        .isEqualTo("sha256:" + HEX);
  }

  @Test
  void theLayoutHoldsEveryBlobUnderItsDigestAndOpensslVerifiesThePayloadFromIt() throws Exception {
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    SigstoreAttachment attachment = new SigstoreAttachment(keyring.sign(REPO, "sha256:" + HEX));
    Path layout = tmp.resolve("layout");

    attachment.writeLayout(layout);

    JsonNode index = JSON.readTree(Files.readString(layout.resolve("index.json")));
    JsonNode entry = index.path("manifests").get(0);
    assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asString())
        .isEqualTo("sig");
    assertThat(entry.path("digest").asString())
        .isEqualTo(SigstoreAttachment.digest(attachment.manifest()));
    assertThat(Files.readString(layout.resolve("oci-layout"))).contains("1.0.0");
    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      assertThat(blobs.toList())
          .hasSize(3)
          .allSatisfy(
              blob ->
                  assertThat(SigstoreAttachment.digest(Files.readAllBytes(blob)))
                      .isEqualTo("sha256:" + blob.getFileName()));
    }
    // verify what the layout holds, as a registry client would read it
    JsonNode manifest = JSON.readTree(blob(layout, entry.path("digest").asString()));
    JsonNode layer = manifest.path("layers").get(0);
    Path payload =
        Files.write(tmp.resolve("payload.json"), blob(layout, layer.path("digest").asString()));
    Path sig =
        Files.write(
            tmp.resolve("sig.der"),
            Base64.getDecoder()
                .decode(
                    layer
                        .path("annotations")
                        .path("dev.cosignproject.cosign/signature")
                        .asString()));
    Path pub =
        Files.writeString(tmp.resolve("pub.pem"), keyring.publicKeyPem(keyring.activeKeyId()));
    assertThat(openssl(pub, sig, payload)).isEqualTo("Verified OK");
    Path other = Files.writeString(tmp.resolve("other.pem"), otherKey());
    assertThat(openssl(other, sig, payload)).isEqualTo("Verification failure");
  }

  private String otherKey() throws IOException {
    Keyring other = Keyring.open(tmp.resolve("other"));
    return other.publicKeyPem(other.activeKeyId());
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    return Files.readAllBytes(
        layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.propertyNames().forEach(names::add);
    return names;
  }

  private static String openssl(Path pub, Path sig, Path payload) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                pub.toString(),
                "-signature",
                sig.toString(),
                payload.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }
}
