package io.slipway.governance.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GoBinaryScannerTest {

  private static final byte[] START = hex("3077af0c9274080241e1c107e6d618e6");
  private static final byte[] END = hex("f932433186182072008242104116d8f2");

  /** An ELF file with Go 1.18+ inline build info at a 16-aligned offset past the first chunk. */
  private static byte[] binary(String goVersion, String modinfo) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x7f, 'E', 'L', 'F'});
    out.writeBytes(new byte[100_000 - 4]); // magic at 100,000: 16-aligned, in the second chunk
    out.writeBytes("\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1));
    out.write(8); // pointer size
    out.write(2); // flags: strings inline
    out.writeBytes(new byte[16]);
    ByteArrayOutputStream mod = new ByteArrayOutputStream();
    mod.writeBytes(START);
    mod.writeBytes(modinfo.getBytes(StandardCharsets.UTF_8));
    mod.writeBytes(END);
    writeString(out, goVersion.getBytes(StandardCharsets.UTF_8));
    writeString(out, mod.toByteArray());
    out.writeBytes(new byte[5000]);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, byte[] s) {
    int n = s.length;
    while (n >= 0x80) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.writeBytes(s);
  }

  private static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }

  @Test
  void listsStdlibMainModuleAndDependenciesWithReplacements() throws Exception {
    String modinfo =
        """
        path\texample.com/app/cmd/app
        mod\texample.com/app\tv1.4.0\th1:abc=
        dep\tgithub.com/google/uuid\tv1.6.0\th1:def=
        dep\tgolang.org/x/net\tv0.17.0\th1:ghi=
        =>\tgolang.org/x/net\tv0.23.0\th1:jkl=
        dep\texample.com/local\tv0.0.0-00010101000000-000000000000
        =>\t../local\t
        build\t-compiler=gc
        """;
    byte[] info = GoBinaryScanner.probe(new ByteArrayInputStream(binary("go1.21.5", modinfo)));

    assertThat(GoBinaryScanner.parse(info, "/usr/local/bin/app"))
        .extracting(Component::purl)
        .containsExactly(
            "pkg:golang/stdlib@v1.21.5",
            "pkg:golang/example.com/app@v1.4.0",
            "pkg:golang/github.com/google/uuid@v1.6.0",
            "pkg:golang/golang.org/x/net@v0.23.0",
            "pkg:golang/example.com/local@v0.0.0-00010101000000-000000000000");
  }

  @Test
  void releaseCandidatesAndDevelMainModules() throws Exception {
    byte[] info =
        GoBinaryScanner.probe(
            new ByteArrayInputStream(binary("go1.22rc2", "path\tx\nmod\tx\t(devel)\t\n")));

    assertThat(GoBinaryScanner.parse(info, "/x"))
        .extracting(Component::purl)
        .containsExactly("pkg:golang/stdlib@v1.22.0-rc.2");
  }

  @Test
  void otherExecutablesKeepNothing() throws Exception {
    assertThat(
            GoBinaryScanner.probe(
                new ByteArrayInputStream("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8))))
        .isNull();
    assertThat(
            GoBinaryScanner.probe(new ByteArrayInputStream(new byte[] {0x7f, 'E', 'L', 'F', 0, 0})))
        .isNull();
  }

  @Test
  void readsTheRealSkopeoBinaryOfThisHost() throws Exception {
    Path skopeo = Path.of("/usr/bin/skopeo");
    byte[] info;
    try (InputStream in = Files.newInputStream(skopeo)) {
      info = GoBinaryScanner.probe(in);
    }

    assertThat(GoBinaryScanner.parse(info, "/usr/bin/skopeo"))
        .extracting(Component::name)
        .contains("stdlib");
    assertThat(GoBinaryScanner.parse(info, "/usr/bin/skopeo").get(0).version())
        .matches("v1\\.\\d+\\.\\d+");
  }
}
