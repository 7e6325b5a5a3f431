package io.slipway.governance.image;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The files of an image's merged root filesystem that a caller asked to keep, with the digest of
 * the manifest they came from.
 *
 * <p>Paths are relative to the root, without a leading slash ({@code var/lib/dpkg/status}). Only
 * regular files are held (hard links resolved to their content); whiteouts of later layers have
 * already been applied, so a file deleted in a later layer is absent.
 *
 * @param manifestDigest the digest of the image manifest, {@code sha256:<hex>}
 * @param files path to content, sorted by path
 * @param probed path of an executable to what an {@link ExecutableProbe} kept of it
 */
public record ImageFiles(
    String manifestDigest, SortedMap<String, byte[]> files, SortedMap<String, byte[]> probed) {

  public ImageFiles {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    probed = Collections.unmodifiableSortedMap(new TreeMap<>(probed));
  }

  /** An image view built from plain maps, e.g. in a test. */
  public static ImageFiles of(String manifestDigest, Map<String, byte[]> files) {
    return new ImageFiles(manifestDigest, new TreeMap<>(files), new TreeMap<>());
  }

  /** The content of one file, if the image has it and it was kept. */
  public Optional<byte[]> read(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** The kept paths that match, in path order. */
  public List<String> paths(Predicate<String> filter) {
    return files.keySet().stream().filter(filter).toList();
  }
}
