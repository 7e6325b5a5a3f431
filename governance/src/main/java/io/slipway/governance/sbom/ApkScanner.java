package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alpine packages from {@code /lib/apk/db/installed} ({@code P:} name, {@code V:} version). */
final class ApkScanner implements PackageScanner {

  static final String INSTALLED = "lib/apk/db/installed";

  @Override
  public boolean wants(String path) {
    return path.equals(INSTALLED) || OsRelease.isOsRelease(path);
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    List<Component> found = new ArrayList<>();
    byte[] content = files.read(INSTALLED).orElse(null);
    if (content == null) {
      return found;
    }
    OsRelease os = OsRelease.of(files);
    for (Map<String, String> stanza :
        Stanzas.parse(new String(content, StandardCharsets.UTF_8), false)) {
      String name = stanza.get("P");
      String version = stanza.get("V");
      if (name == null || version == null) {
        continue;
      }
      Map<String, String> qualifiers = new LinkedHashMap<>();
      qualifiers.put("arch", stanza.get("A"));
      qualifiers.put("distro", os.distro());
      String purl = Purl.of(Ecosystem.ALPINE, name, version, qualifiers);
      found.add(
          new Component(
              Ecosystem.ALPINE,
              name,
              version,
              purl,
              "/" + INSTALLED,
              stanza.get("o"),
              null,
              os.versionId()));
    }
    return found;
  }
}
