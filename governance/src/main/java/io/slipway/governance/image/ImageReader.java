package io.slipway.governance.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads an image's files without privileges or a running container: skopeo copies the image into a
 * temporary OCI layout, {@link OciLayout} merges its layers, the temporary layout is deleted.
 *
 * <p>Blobs go to a directory shared by every read ({@code oci-blobs} in the work directory), so a
 * layer read before is neither copied nor read again: an image built on a stack's base costs only
 * its own new layers. Least recently used blobs are deleted once they weigh more than a budget.
 * What each layer holds is also kept in memory, up to a budget of its own.
 *
 * <p>Thread-safe; each call uses its own temporary layout.
 */
public final class ImageReader {

  /** The default budget of the shared blob directory. */
  public static final long DEFAULT_BLOB_BUDGET_BYTES = 4L * 1024 * 1024 * 1024;

  private static final long LAYER_CACHE_BYTES = 64L * 1024 * 1024;

  /** A blob used this recently is never evicted: a copy running now may be reusing it. */
  private static final Duration IN_USE = Duration.ofMinutes(10);

  private final Path workDir;
  private final Path blobs;
  private final Duration timeout;
  private final long blobBudgetBytes;
  private final LayerCache layers = new LayerCache(LAYER_CACHE_BYTES);
  // reads share the blob directory; eviction has it alone
  private final ReadWriteLock blobLock = new ReentrantReadWriteLock();

  /**
   * @param workDir where temporary layouts and the shared blobs are written (must exist)
   * @param timeout how long one skopeo copy may take
   */
  public ImageReader(Path workDir, Duration timeout) {
    this(workDir, timeout, DEFAULT_BLOB_BUDGET_BYTES);
  }

  /**
   * @param blobBudgetBytes how many bytes of blobs to keep for later reads
   */
  public ImageReader(Path workDir, Duration timeout, long blobBudgetBytes) {
    this.workDir = workDir;
    this.blobs = workDir.resolve("oci-blobs");
    this.timeout = timeout;
    this.blobBudgetBytes = blobBudgetBytes;
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
   * Layers are cached per {@code keep} and {@code probe} instance: pass the same ones each time.
   */
  public ImageFiles read(SourceImage image, Predicate<String> keep, ExecutableProbe probe) {
    try {
      return copyAndRead(image, keep, probe);
    } catch (CorruptBlobException e) {
      // the damaged blob was deleted: copying again writes it afresh
      return copyAndRead(image, keep, probe);
    } finally {
      evictOverBudget();
    }
  }

  private ImageFiles copyAndRead(SourceImage image, Predicate<String> keep, ExecutableProbe probe) {
    Path tmp;
    try {
      Files.createDirectories(blobs);
      tmp = Files.createTempDirectory(workDir, "oci-");
    } catch (IOException e) {
      throw new ImageReadException("cannot create a work directory in " + workDir, e);
    }
    blobLock.readLock().lock();
    try {
      Path layout = tmp.resolve("layout");
      CommandRunner.run(new SkopeoCopy(image, layout, blobs).arguments(), timeout);
      return OciLayout.read(layout, blobs, layers, keep, probe);
    } finally {
      blobLock.readLock().unlock();
      deleteTree(tmp);
    }
  }

  /** How many layers are held in memory (for tests). */
  int cachedLayers() {
    return layers.size();
  }

  /** Deletes the least recently used blobs, not used lately, until the rest fit the budget. */
  private void evictOverBudget() {
    if (!blobLock.writeLock().tryLock()) {
      return; // a read is running: the next one evicts
    }
    try (Stream<Path> files = Files.walk(blobs)) {
      List<Path> found = files.filter(Files::isRegularFile).toList();
      Map<Path, BasicFileAttributes> attributes = new HashMap<>();
      long total = 0;
      for (Path file : found) {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        attributes.put(file, a);
        total += a.size();
      }
      if (total <= blobBudgetBytes) {
        return;
      }
      FileTime recent = FileTime.from(Instant.now().minus(IN_USE));
      List<Path> oldestFirst =
          found.stream()
              .filter(f -> attributes.get(f).lastModifiedTime().compareTo(recent) < 0)
              .sorted(Comparator.comparing(f -> attributes.get(f).lastModifiedTime()))
              .toList();
      for (Path file : oldestFirst) {
        if (total <= blobBudgetBytes) {
          break;
        }
        Files.deleteIfExists(file);
        total -= attributes.get(file).size();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot evict blobs from " + blobs, e);
    } finally {
      blobLock.writeLock().unlock();
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
