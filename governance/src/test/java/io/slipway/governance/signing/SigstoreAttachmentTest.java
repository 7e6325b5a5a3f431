package io.slipway.governance.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    JsonNode manifest = JSON.readTree(attachment.attachment().manifest());
    assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(manifest.path("mediaType").asString())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    JsonNode config = manifest.path("config");
    assertThat(config.path("mediaType").asString())
        .isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(config.path("digest").asString())
        .isEqualTo(OciAttachment.digest(attachment.attachment().config()));
    assertThat(config.path("size").asInt()).isEqualTo(attachment.attachment().config().length);
    assertThat(manifest.path("layers")).hasSize(1);
    JsonNode layer = manifest.path("layers").get(0);
    assertThat(layer.path("mediaType").asString())
        .isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    byte[] payload = signature.payload().getBytes(StandardCharsets.UTF_8);
    assertThat(attachment.attachment().layers().getFirst().content()).isEqualTo(payload);
    assertThat(layer.path("digest").asString()).isEqualTo(OciAttachment.digest(payload));
    assertThat(layer.path("size").asInt()).isEqualTo(payload.length);
    assertThat(layer.path("annotations").path("dev.cosignproject.cosign/signature").asString())
        .isEqualTo(signature.signature());
    assertThat(layer.path("annotations").path("io.slipway.signing/key-id").asString())
        .isEqualTo(signature.keyId());
    JsonNode configJson = JSON.readTree(attachment.attachment().config());
    assertThat(configJson.path("rootfs").path("type").asString()).isEqualTo("layers");
    assertThat(configJson.path("rootfs").path("diff_ids").get(0).asString())
        .isEqualTo(OciAttachment.digest(payload));
  }

  /** containers/image parses the payload with exact fields: nothing more, nothing missing. */
  @Test
  void thePayloadHasExactlyTheFieldsContainersImageAccepts() throws IOException {
    ImageSignature signature = Keyring.open(tmp.resolve("keys")).sign(REPO, "sha256:" + HEX);
    JsonNode payload = JSON.readTree(signature.payload());

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
        .isEqualTo("attachment");
    assertThat(entry.path("digest").asString())
        .isEqualTo(OciAttachment.digest(attachment.attachment().manifest()));
    assertThat(Files.readString(layout.resolve("oci-layout"))).contains("1.0.0");
    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      assertThat(blobs.toList())
          .hasSize(3)
          .allSatisfy(
              blob ->
                  assertThat(OciAttachment.digest(Files.readAllBytes(blob)))
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

  /**
   * Several signatures of one digest (before and after a key rotation) are several layers, each
   * verifiable with its own key; one signature again adds nothing; a signature of another digest
   * does not belong; and what a layout holds reads back as the same signatures.
   */
  @Test
  void severalSignaturesOfOneDigestAreSeveralLayersAndReadBack() throws Exception {
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    ImageSignature first = keyring.sign(REPO, "sha256:" + HEX);
    keyring.rotate();
    ImageSignature second = keyring.sign(REPO, "sha256:" + HEX);
    SigstoreAttachment both = new SigstoreAttachment(first).with(second).with(first);

    assertThat(both.signatures()).containsExactly(first, second);
    JsonNode manifest = JSON.readTree(both.attachment().manifest());
    assertThat(manifest.path("layers")).hasSize(2);
    assertThat(JSON.readTree(both.attachment().config()).path("rootfs").path("diff_ids").size())
        .isEqualTo(2);
    assertThat(first.keyId()).isNotEqualTo(second.keyId());
    for (ImageSignature signature : both.signatures()) {
      assertThat(keyring.verify(signature).valid()).as(signature.keyId()).isTrue();
    }
    assertThatThrownBy(
            () ->
                new SigstoreAttachment(first).with(keyring.sign(REPO, "sha256:" + "4b".repeat(32))))
        .isInstanceOf(IllegalArgumentException.class);

    Path layout = tmp.resolve("both");
    both.writeLayout(layout);
    SigstoreAttachment read = SigstoreAttachment.of(OciAttachment.readLayout(layout, both.tag()));
    assertThat(read.signatures()).containsExactly(first, second);

    // a blob altered in the layout is refused, not read
    Path payloadBlob =
        layout
            .resolve("blobs/sha256")
            .resolve(manifest.path("layers").get(1).path("digest").asString().substring(7));
    Files.writeString(payloadBlob, "{}");
    assertThatThrownBy(() -> OciAttachment.readLayout(layout, both.tag()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match its digest");
  }

  /** An image's SBOM beside it, as {@code cosign attach sbom} stores one: a CycloneDX layer. */
  @Test
  void anSbomIsOneCycloneDxLayerTaggedAfterTheImagesDigest() throws Exception {
    byte[] sbom = "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8);
    OciAttachment attachment = OciAttachment.sbom("sha256:" + HEX, sbom);

    assertThat(attachment.tag()).isEqualTo("sha256-" + HEX + ".sbom");
    JsonNode layer = JSON.readTree(attachment.manifest()).path("layers").get(0);
    assertThat(layer.path("mediaType").asString()).isEqualTo("application/vnd.cyclonedx+json");
    assertThat(layer.path("digest").asString()).isEqualTo(OciAttachment.digest(sbom));
    Path layout = tmp.resolve("sbom");
    attachment.writeLayout(layout);
    assertThat(OciAttachment.readLayout(layout, attachment.tag()).layers().getFirst().content())
        .isEqualTo(sbom);
    assertThatThrownBy(() -> OciAttachment.sbom("latest", sbom))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
