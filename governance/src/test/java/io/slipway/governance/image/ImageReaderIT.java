package io.slipway.governance.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner against the real skopeo and buildah. */
class ImageReaderIT {

  @TempDir Path tmp;

  @Test
  void readsTheMergedFilesOfALayeredImageAndItsDigest() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
    Files.createDirectories(rootfs.resolve("etc/app"));
    Files.writeString(rootfs.resolve("etc/app/kept"), "kept");
    Files.writeString(rootfs.resolve("etc/app/deleted"), "deleted");
    Path work = Files.createDirectories(tmp.resolve("work"));
    ImageReader reader = new ImageReader(work, Duration.ofMinutes(1));

    try (TestImage image = new TestImage()) {
      String base = image.fromScratch().copy(rootfs).commit("base");
      image
          .from(base)
          .run("/bin/busybox", "sh", "-c", "rm /etc/app/deleted && echo changed > /etc/app/kept");
      String ref = image.commit("1");

      ImageFiles files = reader.read(SourceImage.local(ref), p -> p.startsWith("etc/app/"));

      assertThat(files.files().keySet()).containsExactly("etc/app/kept");
      assertThat(new String(files.read("etc/app/kept").orElseThrow(), StandardCharsets.UTF_8))
          .isEqualTo("changed\n");
      assertThat(files.manifestDigest())
          .matches("sha256:[0-9a-f]{64}")
          .isEqualTo(reader.currentDigest(SourceImage.local(ref)));
      // the temporary layout is gone; only the shared blobs stay
      try (Stream<Path> left = Files.list(work)) {
        assertThat(left).containsExactly(work.resolve("oci-blobs"));
      }
    }
  }

  @Test
  void anImageOnAKnownBaseCopiesAndReadsOnlyItsNewLayer() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    ImageReader reader = new ImageReader(work, Duration.ofMinutes(1));
    Predicate<String> keep = p -> p.startsWith("etc/app/");
    try (TestImage image = new TestImage()) {
      String base = image.fromScratch().copy(busyboxWith("etc/app/base", "base")).commit("base");
      reader.read(SourceImage.local(base), keep);
      Map<Path, Object> inodes = inodes(work.resolve("oci-blobs"));
      int cached = reader.cachedLayers();
      image.from(base).run("/bin/busybox", "sh", "-c", "echo top > /etc/app/top");
      String top = image.commit("top");

      ImageFiles files = reader.read(SourceImage.local(top), keep);

      assertThat(files.files().keySet()).containsExactly("etc/app/base", "etc/app/top");
      assertThat(files.manifestDigest()).isEqualTo(reader.currentDigest(SourceImage.local(top)));
      assertThat(reader.cachedLayers()).isEqualTo(cached + 1);
      // the base's blobs are the very files of the first copy, not written again
      assertThat(inodes(work.resolve("oci-blobs"))).containsAllEntriesOf(inodes);
    }
  }

  @Test
  void aDamagedSharedBlobIsCopiedAgain() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    try (TestImage image = new TestImage()) {
      String ref = image.fromScratch().copy(busyboxWith("etc/app/file", "good")).commit("1");
      new ImageReader(work, Duration.ofMinutes(1)).read(SourceImage.local(ref), p -> true);
      Path layer = largest(work.resolve("oci-blobs"));
      Files.write(layer, new byte[] {1, 2, 3});

      // a new reader (as after a restart) holds nothing in memory: it reads the damaged blob
      ImageFiles files =
          new ImageReader(work, Duration.ofMinutes(1))
              .read(SourceImage.local(ref), p -> p.startsWith("etc/app/"));

      assertThat(files.read("etc/app/file")).hasValue("good".getBytes(StandardCharsets.UTF_8));
      assertThat(Files.size(layer)).isGreaterThan(3);
    }
  }

  @Test
  void blobsOverTheBudgetAreEvictedLeastRecentlyUsedFirstButNotWhileRecent() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path blobs = work.resolve("oci-blobs");
    ImageReader reader = new ImageReader(work, Duration.ofMinutes(1), 1);
    try (TestImage image = new TestImage()) {
      String first = image.fromScratch().copy(busyboxWith("etc/a", "a")).commit("a");
      reader.read(SourceImage.local(first), p -> true);
      Set<Path> firstBlobs = inodes(blobs).keySet();
      // used an hour ago
      for (Path blob : firstBlobs) {
        Files.setLastModifiedTime(blob, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
      }
      String second = image.fromScratch().copy(busyboxWith("etc/b", "b")).commit("b");

      reader.read(SourceImage.local(second), p -> true);

      // over a budget of one byte: every old blob goes, the ones just used stay
      Set<Path> left = inodes(blobs).keySet();
      assertThat(left).doesNotContainAnyElementsOf(firstBlobs).isNotEmpty();
    }
  }

  private Path busyboxWith(String file, String content) throws Exception {
    Path rootfs = Files.createTempDirectory(tmp, "rootfs");
    Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
    Files.createDirectories(rootfs.resolve(file).getParent());
    Files.writeString(rootfs.resolve(file), content);
    return rootfs;
  }

  private static Map<Path, Object> inodes(Path dir) throws Exception {
    Map<Path, Object> inodes = new HashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        inodes.put(file, Files.getAttribute(file, "unix:ino"));
      }
    }
    return inodes;
  }

  private static Path largest(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .max(Comparator.comparingLong(f -> f.toFile().length()))
          .orElseThrow();
    }
  }

  @Test
  void anUnknownImageFailsWithSkopeosMessage() {
    ImageReader reader = new ImageReader(tmp, Duration.ofMinutes(1));

    assertThatThrownBy(
            () ->
                reader.read(
                    SourceImage.local("localhost/slipway-gov-test/does-not-exist:1"), p -> true))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("skopeo copy")
        .hasMessageContaining("does-not-exist");
  }
}
