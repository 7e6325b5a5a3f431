package io.slipway.governance.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Something stored beside an image in its registry repository the way cosign does (its signatures,
 * its SBOM): an OCI image manifest tagged after the image's digest ({@code sha256-<hex>.sig},
 * {@code sha256-<hex>.sbom}) whose layers are the attached documents, and whose config is an OCI
 * image config listing the layers' digests as diff ids.
 *
 * <p>{@link #writeLayout} writes it as an OCI image layout, which {@code skopeo copy
 * --preserve-digests oci:<dir>:attachment docker://<repository>:<tag>} uploads byte for byte;
 * {@link #readLayout} reads back what {@code skopeo copy docker://… oci:<dir>:attachment} fetched.
 *
 * @param tag its tag in the image's repository
 * @param layers the documents, in order
 */
public record OciAttachment(String tag, List<Layer> layers) {

  /**
   * One attached document.
   *
   * @param mediaType what it is, e.g. {@value SigstoreAttachment#PAYLOAD_MEDIA_TYPE}
   * @param content its bytes, exactly
   * @param annotations the layer's annotations (a signature's value, say)
   */
  public record Layer(String mediaType, byte[] content, Map<String, String> annotations) {
    public Layer {
      content = content.clone();
      annotations = Map.copyOf(annotations);
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /** The reference name of the manifest in the layouts {@link #writeLayout} writes. */
  public static final String LAYOUT_REF = "attachment";

  /** The tag suffix of an image's SBOM, as cosign's {@code attach sbom} names it. */
  public static final String SBOM_SUFFIX = ".sbom";

  /** The media type of a CycloneDX JSON document. */
  public static final String CYCLONEDX_MEDIA_TYPE = "application/vnd.cyclonedx+json";

  private static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public OciAttachment {
    if (!tag.matches("sha256-[0-9a-f]{64}\\.[a-z]+")) {
      throw new IllegalArgumentException("an attachment's tag is sha256-<hex>.<kind>: " + tag);
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("an attachment has at least one layer");
    }
    layers = List.copyOf(layers);
  }

  /** The CycloneDX JSON SBOM {@code cycloneDx} of the image whose manifest digest is given. */
  public static OciAttachment sbom(String manifestDigest, byte[] cycloneDx) {
    return new OciAttachment(
        tagFor(manifestDigest, SBOM_SUFFIX),
        List.of(new Layer(CYCLONEDX_MEDIA_TYPE, cycloneDx, Map.of())));
  }

  /** {@code sha256-<hex><suffix>}: the tag of an attachment to the image {@code manifestDigest}. */
  public static String tagFor(String manifestDigest, String suffix) {
    return manifestDigest.replace(':', '-') + suffix;
  }

  /** The config blob: an OCI image config whose diff ids are the layers' digests. */
  public byte[] config() {
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.put("os", "");
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(digest(layer.content())));
    return JSON.writeValueAsBytes(config);
  }

  /** The manifest, the object tagged {@link #tag()}. */
  public byte[] manifest() {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.set("config", descriptor(CONFIG_MEDIA_TYPE, config()));
    ArrayNode array = manifest.putArray("layers");
    for (Layer layer : layers) {
      ObjectNode descriptor = descriptor(layer.mediaType(), layer.content());
      if (!layer.annotations().isEmpty()) {
        ObjectNode annotations = descriptor.putObject("annotations");
        new TreeMap<>(layer.annotations()).forEach(annotations::put);
      }
      array.add(descriptor);
    }
    return JSON.writeValueAsBytes(manifest);
  }

  /**
   * Writes the attachment as an OCI image layout in {@code dir} (created if missing), the manifest
   * named {@value #LAYOUT_REF}.
   */
  public void writeLayout(Path dir) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    byte[] manifest = manifest();
    List<byte[]> all = new ArrayList<>();
    layers.forEach(layer -> all.add(layer.content()));
    all.add(config());
    all.add(manifest);
    for (byte[] blob : all) {
      Files.write(blobs.resolve(hex(digest(blob))), blob);
    }
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    ObjectNode entry = descriptor(MANIFEST_MEDIA_TYPE, manifest);
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", LAYOUT_REF);
    index.putArray("manifests").add(entry);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  /**
   * Reads the attachment {@code tag} from the OCI layout in {@code dir}, its manifest named {@value
   * #LAYOUT_REF}; every blob is checked against its digest.
   *
   * @throws IOException when the layout is missing, malformed or a blob does not match its digest
   */
  public static OciAttachment readLayout(Path dir, String tag) throws IOException {
    JsonNode index = JSON.readTree(Files.readAllBytes(dir.resolve("index.json")));
    String manifestDigest = null;
    for (JsonNode entry : index.path("manifests")) {
      if (LAYOUT_REF.equals(
          entry.path("annotations").path("org.opencontainers.image.ref.name").asString())) {
        manifestDigest = entry.path("digest").asString();
      }
    }
    if (manifestDigest == null) {
      throw new IOException("the layout has no manifest named " + LAYOUT_REF);
    }
    JsonNode manifest = JSON.readTree(blob(dir, manifestDigest));
    List<Layer> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      Map<String, String> annotations = new LinkedHashMap<>();
      layer
          .path("annotations")
          .properties()
          .forEach(e -> annotations.put(e.getKey(), e.getValue().asString()));
      layers.add(
          new Layer(
              layer.path("mediaType").asString(),
              blob(dir, layer.path("digest").asString()),
              annotations));
    }
    try {
      return new OciAttachment(tag, layers);
    } catch (IllegalArgumentException e) {
      throw new IOException("the layout holds no attachment: " + e.getMessage(), e);
    }
  }

  private static byte[] blob(Path dir, String digest) throws IOException {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IOException("not a sha256 digest: " + digest);
    }
    byte[] blob = Files.readAllBytes(dir.resolve("blobs/sha256").resolve(hex(digest)));
    if (!digest.equals(digest(blob))) {
      throw new IOException("blob " + digest + " does not match its digest");
    }
    return blob;
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

  private static String hex(String digest) {
    return digest.substring("sha256:".length());
  }

  private static ObjectNode descriptor(String mediaType, byte[] blob) {
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest(blob));
    descriptor.put("size", blob.length);
    return descriptor;
  }
}
