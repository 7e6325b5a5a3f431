package io.slipway.governance.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
      assertThat(work).isEmptyDirectory();
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
