package io.slipway.governance.image;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
    return read(layout, layout.resolve("blobs"), LayerCache.NONE, keep, probe);
  }

  /**
   * Reads the single image in a layout whose blobs are in {@code blobs} (a layout of its own, or a
   * directory shared by many, as skopeo's {@code --dest-shared-blob-dir} writes), taking layers
   * {@code cache} holds from there. Every blob used is touched, so that the least recently used
   * ones of a shared directory can be told apart.
   */
  static ImageFiles read(
      Path layout, Path blobs, LayerCache cache, Predicate<String> keep, ExecutableProbe probe) {
    try {
      JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
      JsonNode manifests = index.path("manifests");
      if (manifests.size() != 1) {
        throw new ImageReadException(
            "expected one manifest in " + layout + "/index.json, found " + manifests.size());
      }
      String manifestDigest = manifests.get(0).path("digest").asString();
      byte[] manifestBytes = blob(blobs, manifestDigest);
      JsonNode manifest = JSON.readTree(manifestBytes);
      if (manifest.has("manifests")) {
        throw new ImageReadException(
            "the image is a multi-platform index; copy one platform's image first");
      }
      LayerStack stack = new LayerStack();
      for (JsonNode layer : manifest.path("layers")) {
        String digest = layer.path("digest").asString();
        Path file = blobPath(blobs, digest);
        touch(file);
        stack.apply(cache.get(digest, keep, probe, () -> readLayer(file, digest, keep, probe)));
      }
      return new ImageFiles(manifestDigest, stack.files(), stack.probed());
    } catch (IOException e) {
      throw new ImageReadException(
          "cannot read the OCI layout at " + layout + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a layer blob, checking its digest on the way (one pass over the file). A blob that does
   * not match its digest fails as corrupt, even when it is not a readable layer at all.
   */
  private static LayerChanges readLayer(
      Path file, String digest, Predicate<String> keep, ExecutableProbe probe) throws IOException {
    try (InputStream blob = Files.newInputStream(file)) {
      HashingInputStream raw = new HashingInputStream(blob);
      LayerChanges changes = null;
      IOException unreadable = null;
      try (InputStream in = uncompressed(new BufferedInputStream(raw, 64 * 1024))) {
        changes = LayerChanges.read(in, keep, MAX_FILE_BYTES, probe);
        // the tar's end marker may come before the end of the blob: hash every byte
        raw.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        unreadable = e;
        raw.transferTo(OutputStream.nullOutputStream());
      }
      check(file, digest, raw.digest());
      if (unreadable != null) {
        throw unreadable;
      }
      return changes;
    }
  }

  /** Hashes every byte that passes, skipped ones included. */
  private static final class HashingInputStream extends FilterInputStream {
    private final MessageDigest sha = sha256();

    HashingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        sha.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        sha.update(buffer, offset, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[8192];
      long left = n;
      while (left > 0) {
        int read = read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          break;
        }
        left -= read;
      }
      return n - left;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = read(buffer, 0, buffer.length); n >= 0; n = read(buffer, 0, buffer.length)) {
        out.write(buffer, 0, n);
        total += n;
      }
      return total;
    }

    @Override
    public void close() {
      // the layer's readers close this before the rest is hashed: the file's opener closes it
    }

    String digest() {
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
  }

  /** Deletes a blob whose content is not what its name says, and fails. */
  private static void check(Path file, String digest, String actual) throws IOException {
    if (!actual.equals(digest)) {
      Files.deleteIfExists(file);
      throw new CorruptBlobException(digest, actual);
    }
  }

  private static void touch(Path file) throws IOException {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (NoSuchFileException e) {
      throw new ImageReadException("the layout has no blob " + file.getFileName(), e);
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

  private static byte[] blob(Path blobs, String digest) throws IOException {
    Path file = blobPath(blobs, digest);
    verifyDigest(file, digest);
    return Files.readAllBytes(file);
  }

  private static Path blobPath(Path blobs, String digest) {
    int colon = digest.indexOf(':');
    String hex = colon < 0 ? "" : digest.substring(colon + 1);
    if (!digest.startsWith("sha256:") || !hex.matches("[0-9a-f]{64}")) {
      throw new ImageReadException("unsupported or malformed digest: " + digest);
    }
    return blobs.resolve("sha256").resolve(hex);
  }

  private static void verifyDigest(Path file, String digest) throws IOException {
    check(file, digest, sha256(file));
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
