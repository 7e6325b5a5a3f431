package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' build stores on the host, each a {@link StoreFileSystem} in its tenant's sandbox
 * directory ({@code store.img}, mounted at {@code store/}): made on the tenant's first build, grown
 * when {@code slipway.build.sandbox.store-mib} rose (online when the kernel lets this process,
 * otherwise the next time it is mounted), unmounted when build-service stops and mounted again when
 * it starts or a build needs it, and unmounted before its tenant's directory is removed. Lowering
 * the setting shrinks no store that exists: a store is never made smaller under its images.
 */
final class BuildStores {

  private static final Logger log = LoggerFactory.getLogger(BuildStores.class);
  private static final CommandRunner RUNNER = new CommandRunner();

  /** e2fsck and resize2fs on a large, full store take a while; mkfs and mount take milliseconds. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  static final String IMAGE = "store.img";
  static final String MOUNT_POINT = "store";

  private final long sizeMib;

  /** By tenant directory: one change of its store at a time (two first builds at once). */
  private final ConcurrentMap<Path, Object> locks = new ConcurrentHashMap<>();

  BuildStores(long sizeMib) {
    this.sizeMib = sizeMib;
  }

  long sizeMib() {
    return sizeMib;
  }

  StoreFileSystem of(Path home) {
    return new StoreFileSystem(home.resolve(IMAGE), home.resolve(MOUNT_POINT), sizeMib);
  }

  /**
   * The tenant's store, mounted: made if the tenant has none, grown if it is smaller than the
   * setting.
   *
   * @param home the tenant's sandbox directory
   * @return where it is mounted
   */
  Path open(Path home) throws IOException, InterruptedException {
    StoreFileSystem store = of(real(Files.createDirectories(home)));
    synchronized (lock(home)) {
      Optional<String> device = mounted(store);
      if (device.isPresent()) {
        growOnline(store, device.get());
        return store.mountPoint();
      }
      if (Files.exists(store.image(), LinkOption.NOFOLLOW_LINKS)) {
        growOffline(store);
      } else {
        create(store);
      }
      Files.createDirectories(store.mountPoint());
      RUNNER.output(store.mount(), TIMEOUT);
      return store.mountPoint();
    }
  }

  /** Unmounts the tenant's store if it is mounted (idempotent). */
  void close(Path home) throws IOException, InterruptedException {
    if (!Files.isDirectory(home)) {
      return;
    }
    StoreFileSystem store = of(real(home));
    synchronized (lock(home)) {
      if (mounted(store).isPresent()) {
        RUNNER.output(store.unmount(), TIMEOUT);
      }
    }
  }

  /** The store's used size, MiB (the file system's own count: instant); empty when not mounted. */
  OptionalLong usedMib(Path home) throws IOException {
    if (!Files.isDirectory(home)) {
      return OptionalLong.empty();
    }
    StoreFileSystem store = of(real(home));
    if (mounted(store).isEmpty()) {
      // statvfs of an empty mount point would measure the host's disk
      return OptionalLong.empty();
    }
    FileStore fs = Files.getFileStore(store.mountPoint());
    return OptionalLong.of(
        (fs.getTotalSpace() - fs.getUnallocatedSpace() + StoreFileSystem.MIB - 1)
            / StoreFileSystem.MIB);
  }

  /** Mounts the store of every tenant directory under {@code tenants} that has one. */
  void openAll(Path tenants) {
    for (Path home : homes(tenants)) {
      if (Files.exists(of(home).image(), LinkOption.NOFOLLOW_LINKS)) {
        try {
          open(home);
        } catch (IOException e) {
          log.warn("Could not mount the build store in {}: {}", home, e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Unmounts the store of every tenant directory under {@code tenants}. */
  void closeAll(Path tenants) {
    for (Path home : homes(tenants)) {
      try {
        close(home);
      } catch (IOException e) {
        log.warn("Could not unmount the build store in {}: {}", home, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static List<Path> homes(Path tenants) {
    try (Stream<Path> homes = Files.list(tenants)) {
      return homes.filter(home -> Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException e) {
      // no tenant has built yet
      return List.of();
    }
  }

  /**
   * Makes the file system in a new sparse file, renamed into place once made: a store.img exists
   * only with a file system in it. The directories the store replaces (the image store and cache a
   * version before it kept on the host's disk) are removed.
   */
  private void create(StoreFileSystem store) throws IOException, InterruptedException {
    Path home = store.image().getParent();
    for (String legacy : List.of("storage", "cache")) {
      Path dir = home.resolve(legacy);
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        RUNNER.output(List.of("rm", "-rf", "--one-file-system", "--", dir.toString()), TIMEOUT);
      }
    }
    Path made = home.resolve(IMAGE + ".new");
    Files.deleteIfExists(made);
    Files.createFile(
        made, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      setLength(made, store.bytes());
      RUNNER.output(new StoreFileSystem(made, store.mountPoint(), sizeMib).mkfs(), TIMEOUT);
      Files.move(made, store.image(), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(made);
    }
  }

  /** Grows a store that is not mounted: the whole file system is this process's to change. */
  private void growOffline(StoreFileSystem store) throws IOException, InterruptedException {
    if (size(store, store.image().toString()) >= store.bytes()) {
      return;
    }
    log.info("Growing the build store {} to {} MiB", store.image(), sizeMib);
    if (Files.size(store.image()) < store.bytes()) {
      setLength(store.image(), store.bytes());
    }
    RUNNER.output(store.check(), TIMEOUT);
    RUNNER.output(StoreFileSystem.grow(store.image().toString()), TIMEOUT);
  }

  /**
   * Grows a mounted store in place. The kernel refuses that to a process without CAP_SYS_RESOURCE
   * (some containers); the store then grows the next time it is mounted, and builds go on at its
   * old size meanwhile.
   */
  private void growOnline(StoreFileSystem store, String device)
      throws IOException, InterruptedException {
    if (size(store, device) >= store.bytes()) {
      return;
    }
    try {
      if (Files.size(store.image()) < store.bytes()) {
        setLength(store.image(), store.bytes());
      }
      RUNNER.output(StoreFileSystem.refreshCapacity(device), TIMEOUT);
      RUNNER.output(StoreFileSystem.grow(device), TIMEOUT);
      log.info("Grew the build store {} to {} MiB", store.image(), sizeMib);
    } catch (IOException e) {
      log.warn(
          "The build store {} stays at its size until it is next mounted (when build-service"
              + " starts again): growing it while mounted failed: {}",
          store.image(),
          e.getMessage());
    }
  }

  private static long size(StoreFileSystem store, String device)
      throws IOException, InterruptedException {
    return StoreFileSystem.size(RUNNER.output(store.superblock(device), TIMEOUT))
        .orElseThrow(() -> new IOException("dumpe2fs did not say the size of " + device));
  }

  /** Sets a file's length without writing it: the blocks it gains stay holes, using no disk. */
  private static void setLength(Path file, long bytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(bytes);
    }
  }

  /** The loop device mounted at the store's mount point, if one is. */
  private static Optional<String> mounted(StoreFileSystem store) throws IOException {
    return StoreFileSystem.mountedSource(
        Files.readString(Path.of("/proc/self/mountinfo")), store.mountPoint());
  }

  /**
   * The directory as the kernel names its mounts (links resolved): a sandbox directory reached
   * through a link would otherwise never be found mounted, and be mounted again on every build.
   */
  private static Path real(Path home) throws IOException {
    return home.toRealPath();
  }

  private Object lock(Path home) {
    return locks.computeIfAbsent(home, key -> new Object());
  }
}
