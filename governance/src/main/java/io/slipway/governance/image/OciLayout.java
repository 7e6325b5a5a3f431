package io.slipway.governance.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an image from an OCI image layout directory (what {@code skopeo copy ... oci:<dir>:<tag>}
 * writes): {@code index.json} to the manifest, the manifest to its layers, each layer applied in
 * order. Layers may be plain or gzip-compressed tars (detected by their magic bytes, whatever the
 * media type says); zstd layers are refused with a clear message.
 */
public final class OciLayout {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

  private OciLayout() {}

  /**
   * Reads the single image in the layout.
   *
   * @param layout the layout directory (with {@code oci-layout}, {@code index.json}, {@code
   *     blobs/})
   * @param keep which files of the merged filesystem to hold in memory
   * @throws ImageReadException if the layout is malformed, a blob's digest does not match its
   *     content, or a layer's compression is not supported
   */
  public static ImageFiles read(Path layout, Predicate<String> keep) {
    return read(layout, keep, ExecutableProbe.NONE);
  }

  /**
   * Reads the single image in the layout, probing executables that {@code keep} does not select.
   *
   * @see #read(Path, Predicate)
   */
  public static ImageFiles read(Path layout, Predicate<String> keep, ExecutableProbe probe) {
    try {
      JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
      JsonNode manifests = index.path("manifests");
      if (manifests.size() != 1) {
        throw new ImageReadException(
            "expected one manifest in " + layout + "/index.json, found " + manifests.size());
      }
      String manifestDigest = manifests.get(0).path("digest").asString();
      byte[] manifestBytes = blob(layout, manifestDigest);
      JsonNode manifest = JSON.readTree(manifestBytes);
      if (manifest.has("manifests")) {
        throw new ImageReadException(
            "the image is a multi-platform index; copy one platform's image first");
      }
      LayerStack stack = new LayerStack(keep, MAX_FILE_BYTES, probe);
      for (JsonNode layer : manifest.path("layers")) {
        String digest = layer.path("digest").asString();
        Path file = blobPath(layout, digest);
        verifyDigest(file, digest);
        try (InputStream in = uncompressed(new BufferedInputStream(Files.newInputStream(file)))) {
          stack.apply(in);
        }
      }
      return new ImageFiles(manifestDigest, stack.files(), stack.probed());
    } catch (IOException e) {
      throw new ImageReadException(
          "cannot read the OCI layout at " + layout + ": " + e.getMessage(), e);
    }
  }

  private static InputStream uncompressed(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in, 64 * 1024);
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      throw new ImageReadException(
          "zstd-compressed layers are not supported; copy the image with --dest-compress-format=gzip");
    }
    return in;
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    Path file = blobPath(layout, digest);
    verifyDigest(file, digest);
    return Files.readAllBytes(file);
  }

  private static Path blobPath(Path layout, String digest) {
    int colon = digest.indexOf(':');
    String hex = colon < 0 ? "" : digest.substring(colon + 1);
    if (!digest.startsWith("sha256:") || !hex.matches("[0-9a-f]{64}")) {
      throw new ImageReadException("unsupported or malformed digest: " + digest);
    }
    return layout.resolve("blobs").resolve("sha256").resolve(hex);
  }

  private static void verifyDigest(Path file, String digest) throws IOException {
    String actual = sha256(file);
    if (!actual.equals(digest)) {
      throw new ImageReadException("blob " + digest + " has content with digest " + actual);
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
