package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWalkTest {

  @TempDir Path graph;

  @Test
  void listsEntriesToTheDepthWithLinksAsLinks() throws Exception {
    Path images = Files.createDirectories(graph.resolve("overlay-images"));
    Files.writeString(images.resolve("images.json"), "[]");
    Files.createDirectories(graph.resolve("overlay/abc/diff/deep"));
    Files.createSymbolicLink(graph.resolve("overlay/l"), Path.of("/"));

    Map<Path, BasicFileAttributes> entries = StoreWalk.entries(graph, 3);

    assertThat(entries)
        .containsKeys(graph, images.resolve("images.json"), graph.resolve("overlay/abc/diff"));
    assertThat(entries).doesNotContainKey(graph.resolve("overlay/abc/diff/deep"));
    assertThat(entries.get(graph.resolve("overlay/l")).isSymbolicLink()).isTrue();
  }

  /**
   * What buildah does to images.json while another build's hand-over walks the store: temporary
   * files and directories come and go. No walk may fail for it (before, one did, and the build with
   * it: "internal error: NoSuchFileException ... .tmp-images.json").
   */
  @Test
  void aWalkWhileFilesComeAndGoNeverFails() throws Exception {
    Path images = Files.createDirectories(graph.resolve("overlay-images"));
    AtomicBoolean churning = new AtomicBoolean(true);
    Thread churn =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int n = 0; churning.get(); n++) {
                    try {
                      Path file = images.resolve(".tmp-images.json" + n);
                      Files.writeString(file, "[]");
                      Files.delete(file);
                      Path dir = Files.createDirectories(images.resolve("tmp" + n + "/inner"));
                      Files.delete(dir);
                      Files.delete(dir.getParent());
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  }
                });
    try {
      for (int walk = 0; walk < 2000; walk++) {
        BuildSandbox.refuseLinks(graph);
        BuildSandbox.giveBack(graph, 0);
      }
    } finally {
      churning.set(false);
      churn.join();
    }
    assertThat(StoreWalk.entries(graph, 3)).containsKey(images);
  }
}
