package io.slipway.governance.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI layouts written here by hand: gzip layers, digest checks, refused formats. */
class OciLayoutTest {

  @TempDir Path tmp;

  private Path blobs;

  private String blob(byte[] content) throws Exception {
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    Files.write(blobs.resolve(hex), content);
    return "sha256:" + hex;
  }

  private byte[] layerTar(String path, String content) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root-" + System.nanoTime()));
    Files.createDirectories(root.resolve(path).getParent());
    Files.writeString(root.resolve(path), content);
    Path tar = tmp.resolve("layer-" + System.nanoTime() + ".tar");
    Process p =
        new ProcessBuilder(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."))
            .start();
    assertThat(p.waitFor()).isZero();
    return Files.readAllBytes(tar);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private Path layout(List<String> layerDigests) throws Exception {
    StringBuilder layers = new StringBuilder();
    for (String d : layerDigests) {
      layers
          .append(layers.isEmpty() ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
          .append(d)
          .append("\",\"size\":1}");
    }
    String config = blob("{}".getBytes(StandardCharsets.UTF_8));
    String manifest =
        blob(
            ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + config
                    + "\",\"size\":2},\"layers\":["
                    + layers
                    + "]}")
                .getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        tmp.resolve("layout/index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + manifest + "\",\"size\":1}]}");
    return tmp.resolve("layout");
  }

  private void init() throws Exception {
    blobs = Files.createDirectories(tmp.resolve("layout/blobs/sha256"));
  }

  @Test
  void readsGzipAndPlainLayersInOrder() throws Exception {
    init();
    String first = blob(gzip(layerTar("etc/os-release", "ID=debian\n")));
    String second = blob(layerTar("etc/os-release", "ID=alpine\n"));
    Path layout = layout(List.of(first, second));

    ImageFiles files = OciLayout.read(layout, p -> true);

    assertThat(new String(files.read("etc/os-release").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("ID=alpine\n");
    assertThat(files.manifestDigest())
        .isEqualTo(
            OciLayout.sha256(
                layout.resolve("blobs/sha256/" + files.manifestDigest().substring(7))));
  }

  @Test
  void aLayerWhoseContentDoesNotMatchItsDigestIsRefused() throws Exception {
    init();
    String digest = blob(layerTar("etc/a", "a"));
    Files.write(blobs.resolve(digest.substring(7)), layerTar("etc/a", "changed"));
    Path layout = layout(List.of(digest));

    assertThatThrownBy(() -> OciLayout.read(layout, p -> true))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("has content with digest");
  }

  @Test
  void zstdLayersAreRefusedWithAHint() throws Exception {
    init();
    String digest = blob(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0});
    Path layout = layout(List.of(digest));

    assertThatThrownBy(() -> OciLayout.read(layout, p -> true)).hasMessageContaining("zstd");
  }
}
