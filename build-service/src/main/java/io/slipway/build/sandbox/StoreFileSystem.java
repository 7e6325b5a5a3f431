package io.slipway.build.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant's build store as a file system of its own: an ext4 file system in the sparse file {@code
 * image}, loop-mounted at {@code mountPoint}, {@code sizeMib} large. What a build writes to its
 * image store and cache lands in it, so a build that fills it meets "no space left on device" there
 * and never fills the host's disk. The commands are built here, exactly, and run by {@link
 * BuildStores}.
 *
 * @param image the sparse file that holds the file system (the host's, root's; never mounted into a
 *     sandbox)
 * @param mountPoint where it is mounted on the host
 * @param sizeMib its size, MiB
 */
record StoreFileSystem(Path image, Path mountPoint, long sizeMib) {

  static final long MIB = 1024L * 1024L;

  private static final Pattern BLOCK_COUNT = Pattern.compile("(?m)^Block count:\\s+(\\d+)$");
  private static final Pattern BLOCK_SIZE = Pattern.compile("(?m)^Block size:\\s+(\\d+)$");

  /** The size in bytes the image file should have. */
  long bytes() {
    return sizeMib * MIB;
  }

  /**
   * Makes the file system in the image: no blocks reserved for root (the whole size is the
   * tenant's), inode tables and journal left for the kernel to initialise lazily, so a new store
   * costs the host a few MiB until it is used.
   */
  List<String> mkfs() {
    return List.of(
        "mkfs.ext4",
        "-q",
        "-F",
        "-m",
        "0",
        "-E",
        "lazy_itable_init=1,lazy_journal_init=1",
        image.toString());
  }

  /**
   * Mounts it: its files never count as devices or set-uid programs on the host, and blocks it
   * frees are given back to the sparse image (discard), so the host's disk holds what the store
   * holds.
   */
  List<String> mount() {
    return List.of(
        "mount",
        "-t",
        "ext4",
        "-o",
        "loop,nodev,nosuid,discard",
        image.toString(),
        mountPoint.toString());
  }

  List<String> unmount() {
    return List.of("umount", mountPoint.toString());
  }

  /** Reads the file system's size from its superblock (works mounted or not). */
  List<String> superblock(String device) {
    return List.of("dumpe2fs", "-h", device);
  }

  /** The check resize2fs requires before it grows a file system that is not mounted. */
  List<String> check() {
    return List.of("e2fsck", "-f", "-p", image.toString());
  }

  /**
   * Grows the file system to its device's size: offline on the image, online on the loop device.
   */
  static List<String> grow(String device) {
    return List.of("resize2fs", device);
  }

  /** Makes a loop device see its backing file's new size, before an online grow. */
  static List<String> refreshCapacity(String device) {
    return List.of("losetup", "--set-capacity", device);
  }

  /** The file system's size in bytes, from {@code dumpe2fs -h}; empty when it does not say. */
  static OptionalLong size(String superblock) {
    Matcher count = BLOCK_COUNT.matcher(superblock);
    Matcher block = BLOCK_SIZE.matcher(superblock);
    if (!count.find() || !block.find()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(count.group(1)) * Long.parseLong(block.group(1)));
  }

  /**
   * The source (the loop device) of what is mounted at {@code mountPoint}, from {@code
   * /proc/self/mountinfo}; empty when nothing is. The last mount on a point is the one seen there.
   */
  static Optional<String> mountedSource(String mountinfo, Path mountPoint) {
    String wanted = mountPoint.toString();
    Optional<String> source = Optional.empty();
    for (String line : mountinfo.split("\n")) {
      // <id> <parent> <major:minor> <root> <mount point> <options> [<optional>...] - <type>
      // <source>
      String[] fields = line.split(" ");
      int separator = List.of(fields).indexOf("-");
      if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
        continue;
      }
      if (unescape(fields[4]).equals(wanted)) {
        source = Optional.of(unescape(fields[separator + 2]));
      }
    }
    return source;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\'
          && i + 3 < field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
