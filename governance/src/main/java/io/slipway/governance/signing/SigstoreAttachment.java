package io.slipway.governance.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A signature as a sigstore attachment, the way cosign and containers/image ({@code
 * use-sigstore-attachments}) keep it in a registry: an OCI image manifest tagged {@code
 * sha256-<hex>.sig} in the signed image's repository, whose one layer is the simple-signing payload
 * ({@value #PAYLOAD_MEDIA_TYPE}) with the base64 signature as its {@value #SIGNATURE_ANNOTATION}
 * annotation, and whose config is an OCI image config listing the layer's digest as its diff id.
 *
 * <p>{@link #writeLayout} writes it as an OCI image layout, which {@code skopeo copy
 * --preserve-digests oci:<dir>:sig docker://<repository>:<tag>} uploads byte for byte.
 *
 * @param signature the image's signature; its payload names the registry repository and the
 *     manifest digest the registry serves
 */
public record SigstoreAttachment(ImageSignature signature) {

  /** The layer media type cosign and containers/image use for simple-signing payloads. */
  public static final String PAYLOAD_MEDIA_TYPE =
      "application/vnd.dev.cosign.simplesigning.v1+json";

  /** The layer annotation holding the base64 signature. */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  /** The reference name of the manifest in the layout {@link #writeLayout} writes. */
  public static final String LAYOUT_REF = "sig";

  private static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The tag the attachment has in the image's repository: {@code sha256-<hex>.sig}. */
  public String tag() {
    return SimpleSigningPayload.parse(signature.payload()).manifestDigest().replace(':', '-')
        + ".sig";
  }

  /** The payload blob, exactly the signed bytes. */
  public byte[] payload() {
    return signature.payload().getBytes(StandardCharsets.UTF_8);
  }

  /** The config blob: an OCI image config whose only diff id is the payload's digest. */
  public byte[] config() {
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.put("os", "");
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(digest(payload()));
    return JSON.writeValueAsBytes(config);
  }

  /** The manifest, the object tagged {@link #tag()}. */
  public byte[] manifest() {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.set("config", descriptor(CONFIG_MEDIA_TYPE, config()));
    ArrayNode layers = manifest.putArray("layers");
    ObjectNode layer = descriptor(PAYLOAD_MEDIA_TYPE, payload());
    layer.putObject("annotations").put(SIGNATURE_ANNOTATION, signature.signature());
    layers.add(layer);
    return JSON.writeValueAsBytes(manifest);
  }

  /**
   * Writes the attachment as an OCI image layout in {@code dir} (created if missing), the manifest
   * named {@value #LAYOUT_REF}.
   */
  public void writeLayout(Path dir) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    byte[] manifest = manifest();
    for (byte[] blob : new byte[][] {payload(), config(), manifest}) {
      Files.write(blobs.resolve(digest(blob).substring("sha256:".length())), blob);
    }
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    ObjectNode entry = descriptor(MANIFEST_MEDIA_TYPE, manifest);
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", LAYOUT_REF);
    index.putArray("manifests").add(entry);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  /** {@code sha256:<hex>} of {@code bytes}. */
  public static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static ObjectNode descriptor(String mediaType, byte[] blob) {
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest(blob));
    descriptor.put("size", blob.length);
    return descriptor;
  }
}
