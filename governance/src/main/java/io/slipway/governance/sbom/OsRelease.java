package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The distribution an image is based on, from {@code /etc/os-release}. */
record OsRelease(String id, String versionId) {

  static final String ETC = "etc/os-release";
  static final String USR_LIB = "usr/lib/os-release";

  static boolean isOsRelease(String path) {
    return path.equals(ETC) || path.equals(USR_LIB);
  }

  static OsRelease of(ImageFiles files) {
    byte[] content = files.read(ETC).or(() -> files.read(USR_LIB)).orElse(null);
    if (content == null) {
      return new OsRelease(null, null);
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
      }
    }
    return new OsRelease(fields.get("ID"), fields.get("VERSION_ID"));
  }

  /** The purl {@code distro} qualifier, e.g. {@code debian-12}. */
  String distro() {
    return id == null ? null : versionId == null ? id : id + "-" + versionId;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
