package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants' build stores with the real tools (mkfs.ext4, mount, dumpe2fs, e2fsck, resize2fs) and the
 * real kernel: made sparse, mounted, full at their size, grown when the setting rose, and unmounted
 * with no loop device left behind.
 */
class BuildStoresIT {

  @TempDir Path tenants;

  @AfterEach
  void nothingStaysMounted() throws Exception {
    new BuildStores(64).closeAll(tenants);
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .doesNotContain(tenants.toString());
    // the kernel frees an unmounted store's loop device when its last opener closes it, which
    // can be udev's probe of the device a moment after the unmount
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(Commands.ok("losetup", "-a")).doesNotContain(tenants.toString()));
  }

  @Test
  void aNewStoreIsMountedAtItsSizeAndCostsTheHostAlmostNothingUntilUsed() throws Exception {
    Path home = Files.createDirectories(tenants.resolve("1"));
    // what the version before kept on the host's disk
    Files.createDirectories(home.resolve("storage").resolve("storage"));
    Files.createDirectories(home.resolve("cache"));
    BuildStores stores = new BuildStores(64);

    long started = System.nanoTime();
    Path store = stores.open(home);
    System.out.printf("made and mounted a 64 MiB store in %d ms%n", millisSince(started));

    assertThat(store).isEqualTo(home.resolve("store"));
    assertThat(mountedAt(store))
        .hasValueSatisfying(device -> assertThat(device).startsWith("/dev/loop"));
    assertThat(sizeOf(home.resolve("store.img"))).isEqualTo(64L * 1024 * 1024);
    assertThat(allocatedMib(home.resolve("store.img"))).isLessThan(16);
    assertThat(home.resolve("storage")).doesNotExist();
    assertThat(home.resolve("cache")).doesNotExist();
    assertThat(stores.usedMib(home).orElseThrow()).isLessThan(4);
    // opening again is idempotent: the same mount, not a second one
    assertThat(stores.open(home)).isEqualTo(store);
    assertThat(mounts(store)).isEqualTo(1);
  }

  @Test
  void aStoreIsFullAtItsSizeAndTheHostsDiskIsNotWritten() throws Exception {
    Path home = Files.createDirectories(tenants.resolve("2"));
    BuildStores stores = new BuildStores(64);
    Path store = stores.open(home);

    Commands.Result dd =
        Commands.run(
            "dd",
            "if=/dev/zero",
            "of=" + store.resolve("big"),
            "bs=1M",
            "count=200",
            "status=none");

    assertThat(dd.exitCode()).isNotZero();
    assertThat(dd.output()).containsIgnoringCase("no space left on device");
    assertThat(sizeOf(store.resolve("big"))).isLessThan(64L * 1024 * 1024);
    assertThat(allocatedMib(home.resolve("store.img"))).isLessThanOrEqualTo(64);
    assertThat(stores.usedMib(home).orElseThrow()).isGreaterThan(40);
    // freed blocks go back to the host (discard)
    Files.delete(store.resolve("big"));
    Commands.ok("sync");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(allocatedMib(home.resolve("store.img"))).isLessThan(16));
  }

  @Test
  void aStoreGrowsWhenTheSettingRoseAndIsMountedAgainAfterItWasClosed() throws Exception {
    Path home = Files.createDirectories(tenants.resolve("3"));
    Path store = new BuildStores(64).open(home);
    Files.writeString(store.resolve("kept"), "layers");
    new BuildStores(64).closeAll(tenants);
    assertThat(mountedAt(store)).isEmpty();
    BuildStores bigger = new BuildStores(96);
    assertThat(bigger.usedMib(home)).isEmpty();

    long started = System.nanoTime();
    bigger.open(home);
    System.out.printf(
        "grew a 64 MiB store to 96 MiB and mounted it in %d ms%n", millisSince(started));

    assertThat(Files.readString(store.resolve("kept"))).isEqualTo("layers");
    assertThat(sizeOf(home.resolve("store.img"))).isEqualTo(96L * 1024 * 1024);
    assertThat(
            StoreFileSystem.size(
                Commands.ok("dumpe2fs", "-h", home.resolve("store.img").toString())))
        .hasValue(96L * 1024 * 1024);
    // lowering the setting shrinks nothing
    new BuildStores(64).open(home);
    assertThat(sizeOf(home.resolve("store.img"))).isEqualTo(96L * 1024 * 1024);
  }

  /**
   * A mounted store grows in place when this process may resize a file system (CAP_SYS_RESOURCE);
   * without it (this project's test machines, and some containers) it keeps its size and serves on
   * while mounted, and grows the next time it is mounted. Only the branch the machine allows runs.
   */
  @Test
  void aMountedStoreGrowsInPlaceOrWhenItIsNextMounted() throws Exception {
    Path home = Files.createDirectories(tenants.resolve("6"));
    Path store = new BuildStores(64).open(home);
    String device = mountedAt(store).orElseThrow();
    Files.writeString(store.resolve("kept"), "layers");

    long started = System.nanoTime();
    assertThat(new BuildStores(96).open(home)).isEqualTo(store);
    System.out.printf("opened a mounted 64 MiB store at 96 MiB in %d ms%n", millisSince(started));

    // the same mount either way: a build running on it meanwhile was not interrupted
    assertThat(mountedAt(store)).hasValue(device);
    assertThat(mounts(store)).isEqualTo(1);
    assertThat(Files.readString(store.resolve("kept"))).isEqualTo("layers");
    if (mayResizeFileSystems()) {
      assertThat(StoreFileSystem.size(Commands.ok("dumpe2fs", "-h", device)))
          .hasValue(96L * 1024 * 1024);
      return;
    }
    System.out.println("no CAP_SYS_RESOURCE here: the store grows when it is next mounted");
    assertThat(StoreFileSystem.size(Commands.ok("dumpe2fs", "-h", device)))
        .hasValue(64L * 1024 * 1024);
    new BuildStores(96).closeAll(tenants);
    new BuildStores(96).open(home);
    assertThat(Files.readString(store.resolve("kept"))).isEqualTo("layers");
    assertThat(
            StoreFileSystem.size(
                Commands.ok("dumpe2fs", "-h", home.resolve("store.img").toString())))
        .hasValue(96L * 1024 * 1024);
  }

  /** Whether this process holds CAP_SYS_RESOURCE (bit 24 of its effective capabilities). */
  private static boolean mayResizeFileSystems() throws IOException {
    String effective =
        Files.readString(Path.of("/proc/self/status"))
            .lines()
            .filter(line -> line.startsWith("CapEff:"))
            .findFirst()
            .orElseThrow()
            .substring("CapEff:".length())
            .strip();
    return (Long.parseUnsignedLong(effective, 16) & (1L << 24)) != 0;
  }

  @Test
  void aStoreThatCannotBeUnmountedSaysSo() throws Exception {
    Path home = Files.createDirectories(tenants.resolve("4"));
    BuildStores stores = new BuildStores(64);
    Path store = stores.open(home);
    Process holder =
        new ProcessBuilder("sleep", "60")
            .directory(store.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      assertThatThrownBy(() -> stores.close(home))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("umount");
      assertThat(mountedAt(store)).isPresent();
    } finally {
      holder.destroyForcibly().waitFor();
    }
    stores.close(home);
    assertThat(mountedAt(store)).isEmpty();
  }

  @Test
  void aStoreReachedThroughALinkIsMountedOnce() throws Exception {
    Path real = Files.createDirectories(tenants.resolve("real").resolve("5"));
    Path home = Files.createSymbolicLink(tenants.resolve("link"), real.getParent()).resolve("5");
    BuildStores stores = new BuildStores(64);

    stores.open(home);
    stores.open(home);

    assertThat(mounts(real.resolve("store"))).isEqualTo(1);
    assertThat(stores.usedMib(home)).isPresent();
    stores.close(home);
    assertThat(mounts(real.resolve("store"))).isZero();
  }

  private static Optional<String> mountedAt(Path mountPoint) throws IOException {
    return StoreFileSystem.mountedSource(
        Files.readString(Path.of("/proc/self/mountinfo")), mountPoint);
  }

  private static long mounts(Path mountPoint) throws IOException {
    return Files.readString(Path.of("/proc/self/mountinfo"))
        .lines()
        .filter(line -> line.split(" ")[4].equals(mountPoint.toString()))
        .count();
  }

  private static long sizeOf(Path file) throws IOException {
    return Files.size(file);
  }

  /** What the file takes on the host's disk (its allocated blocks, not its length), MiB. */
  private static long allocatedMib(Path file) {
    return Long.parseLong(Commands.ok("stat", "-c", "%b", file.toString())) * 512 / (1024 * 1024);
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }
}
