package io.slipway.build.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How storage is measured: MiB rounded up, repositories as du counts them, images by name. */
class StorageMeasuresTest {

  @TempDir Path dir;

  @Test
  void anythingStoredIsAtLeastOneMibAndNothingIsZero() {
    assertThat(StorageUsage.mib(0)).isZero();
    assertThat(StorageUsage.mib(1)).isEqualTo(1);
    assertThat(StorageUsage.mib(1024 * 1024)).isEqualTo(1);
    assertThat(StorageUsage.mib(1024 * 1024 + 1)).isEqualTo(2);
  }

  @Test
  void aTenantsRepositoriesAreWhatDuCountsOfEachAndTheDirectoriesAroundThemAreNothing()
      throws Exception {
    Path tenant = dir.resolve("tabcdefghijk");
    Path one = Files.createDirectories(tenant.resolve("pabcdefghijk/aabcdefghijk.git/objects"));
    Files.write(one.resolve("pack"), new byte[300_000]);
    Path two = Files.createDirectories(tenant.resolve("pbcdefghijkl/abcdefghijkl.git"));
    Files.writeString(two.resolve("HEAD"), "ref: refs/heads/main\n");
    Files.createSymbolicLink(two.resolve("link"), Path.of("/etc"));

    assertThat(DiskUsage.repositories(tenant))
        .isEqualTo(du(one.getParent()) + du(two))
        .isGreaterThan(300_000);
    Files.walk(tenant.resolve("pabcdefghijk/aabcdefghijk.git"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    Files.walk(two).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertThat(DiskUsage.repositories(tenant)).isZero();
    assertThat(DiskUsage.repositories(dir.resolve("tnothinghere"))).isZero();
  }

  @Test
  void aTenantsImagesAreThoseNamedUnderItsPrefixEachOnce() {
    // podman image ls --format json, trimmed to the fields read: an image with two names of the
    // tenant counts once, a longer tenant id's and a nameless image not at all
    JsonNode listing =
        JsonMapper.shared()
            .readTree(
                """
                [{"Id":"aaa","Size":100,"Names":["localhost/slipway/tabcdefghijk/p1/a1:c1",
                                                  "localhost/slipway/tabcdefghijk/p1/a1:c2"]},
                 {"Id":"bbb","Size":20,"Names":["localhost/slipway/tabcdefghijk/p1/a2:c1"]},
                 {"Id":"ccc","Size":3,"Names":["localhost/slipway/tabcdefghijkl/p1/a1:c1"]},
                 {"Id":"ddd","Size":4,"Names":null},
                 {"Id":"eee","Size":5}]""");

    assertThat(TenantImages.bytesNamed(listing, "localhost/slipway/tabcdefghijk/")).isEqualTo(120);
    assertThat(TenantImages.bytesNamed(listing, "localhost/slipway/tother/")).isZero();
  }

  private static long du(Path path) {
    return Long.parseLong(Commands.ok("du", "-sb", path.toString()).split("\\s+")[0]);
  }
}
