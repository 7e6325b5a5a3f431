package io.slipway.governance.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers made by the real GNU tar, applied in order with OCI whiteout semantics. */
class LayerStackTest {

  @TempDir Path tmp;
  private int layers;

  /** A layer tar of the given files (path to content; content null makes a directory). */
  private Path layer(String format, Map<String, String> files) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("layer" + ++layers));
    for (var file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      if (file.getValue() == null) {
        Files.createDirectories(path);
      } else {
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
    }
    Path tar = tmp.resolve("layer" + layers + ".tar");
    run(List.of("tar", "--format=" + format, "-C", root.toString(), "-cf", tar.toString(), "."));
    return tar;
  }

  private static Map<String, String> applied(Path... tars) throws IOException {
    LayerStack stack = new LayerStack();
    for (Path tar : tars) {
      try (InputStream in = Files.newInputStream(tar)) {
        stack.apply(LayerChanges.read(in, path -> true, 1024 * 1024, ExecutableProbe.NONE));
      }
    }
    Map<String, String> text = new TreeMap<>();
    stack.files().forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
    return text;
  }

  @Test
  void laterLayersReplaceAndWhiteoutsDelete() throws Exception {
    Path base =
        layer(
            "gnu",
            Map.of(
                "etc/a", "a1", "etc/b", "b1", "opt/app/lib/x.jar", "x", "opt/app/lib/y.jar", "y"));
    Path top =
        layer("gnu", Map.of("etc/a", "a2", "etc/.wh.b", "", "opt/.wh.app", "", "opt/new", "n"));

    assertThat(applied(base, top)).isEqualTo(Map.of("etc/a", "a2", "opt/new", "n"));
  }

  @Test
  void anOpaqueDirectoryHidesLowerContentButKeepsItsOwn() throws Exception {
    Path base =
        layer(
            "pax",
            Map.of("var/lib/dpkg/status", "old", "var/lib/dpkg/info/x", "i", "var/other", "o"));
    Path top = layer("pax", Map.of("var/lib/dpkg/.wh..wh..opq", "", "var/lib/dpkg/status", "new"));

    assertThat(applied(base, top))
        .isEqualTo(Map.of("var/lib/dpkg/status", "new", "var/other", "o"));
  }

  @Test
  void aDeletedFileCanComeBackInALaterLayer() throws Exception {
    Path one = layer("gnu", Map.of("app/a.jar", "1"));
    Path two = layer("gnu", Map.of("app/.wh.a.jar", ""));
    Path three = layer("gnu", Map.of("app/a.jar", "3"));

    assertThat(applied(one, two)).isEmpty();
    assertThat(applied(one, two, three)).isEqualTo(Map.of("app/a.jar", "3"));
  }

  @Test
  void longPathsInGnuAndPaxFormatsAreRead() throws Exception {
    String longPath =
        "usr/lib/python3/dist-packages/"
            + "a-very-long-directory-name/".repeat(5)
            + "package.dist-info/METADATA";
    assertThat(longPath.length()).isGreaterThan(155);

    assertThat(applied(layer("gnu", Map.of(longPath, "gnu")))).isEqualTo(Map.of(longPath, "gnu"));
    assertThat(applied(layer("pax", Map.of(longPath, "pax")))).isEqualTo(Map.of(longPath, "pax"));
    assertThat(
            applied(
                layer(
                    "ustar",
                    Map.of(
                        "usr/share/" + "d".repeat(90) + "/file-with-a-long-name-" + "n".repeat(60),
                        "ustar"))))
        .containsValue("ustar");
  }

  @Test
  void hardLinksGetTheContentOfTheirTarget() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("hl"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("usr/bin/tool"), "binary");
    Files.createLink(root.resolve("usr/bin/tool-alias"), root.resolve("usr/bin/tool"));
    Path tar = tmp.resolve("hl.tar");
    run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));

    assertThat(applied(tar))
        .isEqualTo(Map.of("usr/bin/tool", "binary", "usr/bin/tool-alias", "binary"));
  }

  @Test
  void onlyWantedFilesAreHeldButUnwantedOnesStillHideLowerLayers() throws Exception {
    Path base = layer("gnu", Map.of("app/lib.jar", "jar", "app/readme", "r"));
    Path top = layer("gnu", Map.of("app/lib.jar/nested", "now a directory"));
    LayerStack stack = new LayerStack();
    for (Path tar : List.of(base, top)) {
      try (InputStream in = Files.newInputStream(tar)) {
        stack.apply(
            LayerChanges.read(in, path -> path.endsWith(".jar"), 1024, ExecutableProbe.NONE));
      }
    }

    assertThat(stack.files()).isEmpty();
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}
