package io.slipway.governance.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads an image's files without privileges or a running container: skopeo copies the image into a
 * temporary OCI layout, {@link OciLayout} merges its layers, the temporary copy is deleted.
 *
 * <p>Thread-safe; each call uses its own temporary directory.
 */
public final class ImageReader {

  private final Path workDir;
  private final Duration timeout;

  /**
   * @param workDir where temporary layouts are written (must exist; a layout needs about the
   *     image's size)
   * @param timeout how long one skopeo copy may take
   */
  public ImageReader(Path workDir, Duration timeout) {
    this.workDir = workDir;
    this.timeout = timeout;
  }

  /**
   * Copies the image and returns the files {@code keep} selects, with the image's manifest digest.
   *
   * @throws ImageReadException if skopeo fails (unknown image, unreachable registry) or the layout
   *     cannot be read
   */
  public ImageFiles read(SourceImage image, Predicate<String> keep) {
    return read(image, keep, ExecutableProbe.NONE);
  }

  /**
   * Like {@link #read(SourceImage, Predicate)}, and also runs {@code probe} over every executable
   * regular file that {@code keep} does not select; {@link ImageFiles#probed()} holds the results.
   */
  public ImageFiles read(SourceImage image, Predicate<String> keep, ExecutableProbe probe) {
    Path tmp;
    try {
      tmp = Files.createTempDirectory(workDir, "oci-");
    } catch (IOException e) {
      throw new ImageReadException("cannot create a work directory in " + workDir, e);
    }
    try {
      Path layout = tmp.resolve("layout");
      CommandRunner.run(new SkopeoCopy(image, layout).arguments(), timeout);
      return OciLayout.read(layout, keep, probe);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * The manifest digest the image reference points at now, {@code sha256:<hex>}.
   *
   * @throws ImageReadException if skopeo cannot find the image
   */
  public String currentDigest(SourceImage image) {
    String digest = CommandRunner.run(new SkopeoInspectDigest(image).arguments(), timeout).strip();
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new ImageReadException(
          "skopeo printed no digest for " + image.skopeoName() + ": " + digest);
    }
    return digest;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ImageReader::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
