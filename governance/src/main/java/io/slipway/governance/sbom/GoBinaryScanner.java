package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go modules compiled into Go binaries (any name, found by probing ELF executables): the build
 * information the Go linker embeds since Go 1.18 — a 32-byte header starting {@code "\xff Go
 * buildinf:"} at a 16-byte aligned offset, then the Go version and the module information as
 * length-prefixed strings. Lists the standard library as module {@code stdlib} (as the Go
 * vulnerability database names it), the main module when it has a version, and every {@code dep} (a
 * {@code =>} replacement by another module version replaces it). Binaries built before Go 1.18, or
 * without module information, give only what they record.
 */
final class GoBinaryScanner implements PackageScanner {

  private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  private static final int HEADER = 32;
  private static final int MAX_INFO = 256 * 1024;
  private static final Pattern GO_VERSION =
      Pattern.compile("go(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:(rc|beta)(\\d+))?");

  @Override
  public boolean wants(String path) {
    return false; // Go binaries are found by content, through probe()
  }

  /** Keeps the build information of an ELF Go binary, or nothing for any other executable. */
  static byte[] probe(InputStream in) throws IOException {
    byte[] head = in.readNBytes(16);
    if (head.length < 16 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
      return null;
    }
    byte[] chunk = new byte[64 * 1024];
    while (true) {
      int n = in.readNBytes(chunk, 0, chunk.length);
      for (int i = 0; i + MAGIC.length <= n; i += 16) {
        if (Arrays.equals(chunk, i, i + MAGIC.length, MAGIC, 0, MAGIC.length)) {
          ByteArrayOutputStream info = new ByteArrayOutputStream();
          info.write(chunk, i, n - i);
          info.write(in.readNBytes(Math.max(0, HEADER + MAX_INFO - (n - i))));
          return Arrays.copyOf(info.toByteArray(), Math.min(info.size(), HEADER + MAX_INFO));
        }
      }
      if (n < chunk.length) {
        return null;
      }
    }
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    List<Component> found = new ArrayList<>();
    files.probed().forEach((path, info) -> found.addAll(parse(info, "/" + path)));
    return found;
  }

  static List<Component> parse(byte[] info, String location) {
    List<Component> found = new ArrayList<>();
    if (info.length < HEADER || (info[15] & 2) == 0) {
      return found; // before Go 1.18 the strings are behind pointers; not read
    }
    int[] pos = {HEADER};
    byte[] version = bytes(info, pos);
    byte[] modBytes = version == null ? null : bytes(info, pos);
    if (version == null) {
      return found;
    }
    String goVersion = new String(version, StandardCharsets.UTF_8);
    Matcher v = GO_VERSION.matcher(goVersion.split("\\s")[0]);
    if (v.matches()) {
      String semver =
          "v" + v.group(1) + "." + v.group(2) + "." + (v.group(3) == null ? "0" : v.group(3));
      if (v.group(4) != null) {
        semver += "-" + v.group(4) + "." + v.group(5);
      }
      found.add(Component.library(Ecosystem.GO, "stdlib", semver, location));
    }
    if (modBytes == null) {
      return found;
    }
    if (modBytes.length >= 33 && modBytes[modBytes.length - 17] == '\n') {
      modBytes = Arrays.copyOfRange(modBytes, 16, modBytes.length - 16); // the linker's sentinels
    }
    String modinfo = new String(modBytes, StandardCharsets.UTF_8);
    Component previous = null;
    for (String line : modinfo.split("\n")) {
      String[] f = line.split("\t");
      if ((f[0].equals("mod") || f[0].equals("dep")) && f.length >= 3 && f[2].startsWith("v")) {
        previous = Component.library(Ecosystem.GO, f[1], f[2], location);
        found.add(previous);
      } else if (f[0].equals("=>") && f.length >= 3 && previous != null && f[2].startsWith("v")) {
        found.set(found.size() - 1, Component.library(Ecosystem.GO, f[1], f[2], location));
      }
    }
    return found;
  }

  /** A Go varint-length-prefixed string at {@code pos[0]}, advancing it; null if malformed. */
  private static byte[] bytes(byte[] b, int[] pos) {
    long length = 0;
    int shift = 0;
    while (pos[0] < b.length) {
      int c = b[pos[0]++] & 0xff;
      length |= (long) (c & 0x7f) << shift;
      if (c < 0x80) {
        if (length > b.length - pos[0]) {
          return null;
        }
        byte[] s = Arrays.copyOfRange(b, pos[0], pos[0] + (int) length);
        pos[0] += (int) length;
        return s;
      }
      shift += 7;
      if (shift > 35) {
        return null;
      }
    }
    return null;
  }
}
