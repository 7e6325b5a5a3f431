package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian packages from {@code /var/lib/dpkg/status} and the one-stanza-per-file {@code
 * /var/lib/dpkg/status.d/} that distroless images use. Only packages whose status is {@code
 * installed} count (a removed package leaves a {@code deinstall ok config-files} stanza behind).
 */
final class DpkgScanner implements PackageScanner {

  static final String STATUS = "var/lib/dpkg/status";
  static final String STATUS_D = "var/lib/dpkg/status.d/";

  @Override
  public boolean wants(String path) {
    return path.equals(STATUS)
        || path.startsWith(STATUS_D) && !path.endsWith(".md5sums")
        || OsRelease.isOsRelease(path);
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    OsRelease os = OsRelease.of(files);
    List<Component> found = new ArrayList<>();
    for (String path :
        files.paths(p -> p.equals(STATUS) || p.startsWith(STATUS_D) && !p.endsWith(".md5sums"))) {
      String text = new String(files.read(path).orElseThrow(), StandardCharsets.UTF_8);
      for (Map<String, String> stanza : Stanzas.parse(text, false)) {
        if (isInstalled(stanza)) {
          found.add(component(stanza, os, path));
        }
      }
    }
    return found;
  }

  private static boolean isInstalled(Map<String, String> stanza) {
    String status = stanza.get("Status");
    boolean installed = status == null || status.endsWith(" installed");
    return installed && stanza.containsKey("Package") && stanza.containsKey("Version");
  }

  private static Component component(Map<String, String> stanza, OsRelease os, String path) {
    String name = stanza.get("Package");
    String version = stanza.get("Version");
    String sourceName = null;
    String sourceVersion = null;
    String source = stanza.get("Source");
    if (source != null) {
      // "Source: glibc (2.36-9+deb12u4)" when the source version differs from the binary's.
      int paren = source.indexOf('(');
      sourceName = (paren < 0 ? source : source.substring(0, paren)).strip();
      if (paren >= 0 && source.endsWith(")")) {
        sourceVersion = source.substring(paren + 1, source.length() - 1).strip();
      }
    }
    Map<String, String> qualifiers = new LinkedHashMap<>();
    qualifiers.put("arch", stanza.get("Architecture"));
    qualifiers.put("distro", os.distro());
    if (sourceName != null && !sourceName.equals(name)) {
      qualifiers.put(
          "upstream", sourceVersion == null ? sourceName : sourceName + "@" + sourceVersion);
    }
    String namespace = os.id() == null ? "debian" : os.id();
    String purl =
        Purl.of(Ecosystem.DEBIAN, name, version, qualifiers)
            .replaceFirst("^pkg:deb/debian/", "pkg:deb/" + Purl.encode(namespace) + "/");
    String release = "debian".equals(os.id()) ? majorRelease(os.versionId()) : null;
    return new Component(
        Ecosystem.DEBIAN,
        name,
        version,
        purl,
        "/" + path,
        sourceName == null ? name : sourceName,
        sourceVersion,
        release);
  }

  private static String majorRelease(String versionId) {
    if (versionId == null) {
      return null;
    }
    int dot = versionId.indexOf('.');
    return dot < 0 ? versionId : versionId.substring(0, dot);
  }
}
