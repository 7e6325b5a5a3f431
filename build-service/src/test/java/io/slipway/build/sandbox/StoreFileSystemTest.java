package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build store's commands, exactly, and what is read back from the tools and the kernel. */
class StoreFileSystemTest {

  private final StoreFileSystem store =
      new StoreFileSystem(
          Path.of("/srv/sandbox/tenants/7/store.img"),
          Path.of("/srv/sandbox/tenants/7/store"),
          128);

  @Test
  void itsSizeIsTheSettingInMib() {
    assertThat(store.bytes()).isEqualTo(128L * 1024 * 1024);
  }

  @Test
  void theFileSystemHasNoBlocksReservedAndIsInitialisedLazily() {
    assertThat(store.mkfs())
        .containsExactly(
            "mkfs.ext4",
            "-q",
            "-F",
            "-m",
            "0",
            "-E",
            "lazy_itable_init=1,lazy_journal_init=1",
            "/srv/sandbox/tenants/7/store.img");
  }

  @Test
  void itIsMountedWithoutDevicesOrSetUidAndGivesFreedBlocksBack() {
    assertThat(store.mount())
        .containsExactly(
            "mount",
            "-t",
            "ext4",
            "-o",
            "loop,nodev,nosuid,discard",
            "/srv/sandbox/tenants/7/store.img",
            "/srv/sandbox/tenants/7/store");
    assertThat(store.unmount()).containsExactly("umount", "/srv/sandbox/tenants/7/store");
  }

  @Test
  void itGrowsOfflineAfterACheckAndOnlineThroughItsLoopDevice() {
    assertThat(store.check())
        .containsExactly("e2fsck", "-f", "-p", "/srv/sandbox/tenants/7/store.img");
    assertThat(StoreFileSystem.grow("/srv/sandbox/tenants/7/store.img"))
        .containsExactly("resize2fs", "/srv/sandbox/tenants/7/store.img");
    assertThat(StoreFileSystem.refreshCapacity("/dev/loop3"))
        .containsExactly("losetup", "--set-capacity", "/dev/loop3");
    assertThat(StoreFileSystem.grow("/dev/loop3")).containsExactly("resize2fs", "/dev/loop3");
    assertThat(store.superblock("/dev/loop3")).containsExactly("dumpe2fs", "-h", "/dev/loop3");
  }

  @Test
  void theSizeIsReadFromTheSuperblock() {
    String dumpe2fs =
        """
        dumpe2fs 1.47.0 (5-Feb-2023)
        Filesystem volume name:   <none>
        Block count:              65536
        Reserved block count:     0
        Free blocks:              52280
        Block size:               1024
        Fragment size:            1024
        """;
    assertThat(StoreFileSystem.size(dumpe2fs)).hasValue(64L * 1024 * 1024);
    assertThat(StoreFileSystem.size("dumpe2fs: Bad magic number in super-block")).isEmpty();
  }

  @Test
  void theLoopDeviceMountedAtTheStoreIsFoundInMountinfoAndNothingElse() {
    String mountinfo =
        """
        22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        123 22 7:0 / /srv/sandbox/tenants/7/store rw,nosuid,nodev,relatime shared:70 - ext4 \
        /dev/loop0 rw,discard
        124 22 7:1 / /srv/sandbox/tenants/70/store rw,nosuid,nodev,relatime - ext4 /dev/loop1 rw
        125 123 0:61 / /srv/sandbox/tenants/7/store/storage/storage/overlay rw - overlay overlay rw
        126 22 7:2 / /srv/with\\040space/store rw - ext4 /dev/loop2 rw
        """;
    assertThat(StoreFileSystem.mountedSource(mountinfo, Path.of("/srv/sandbox/tenants/7/store")))
        .hasValue("/dev/loop0");
    assertThat(StoreFileSystem.mountedSource(mountinfo, Path.of("/srv/sandbox/tenants/7")))
        .isEmpty();
    assertThat(StoreFileSystem.mountedSource(mountinfo, Path.of("/srv/sandbox/tenants/8/store")))
        .isEmpty();
    assertThat(StoreFileSystem.mountedSource(mountinfo, Path.of("/srv/with space/store")))
        .hasValue("/dev/loop2");
  }
}
