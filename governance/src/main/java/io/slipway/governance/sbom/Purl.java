package io.slipway.governance.sbom;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Builds package URLs as the purl specification spells them for each ecosystem. */
public final class Purl {

  private Purl() {}

  /** The purl of a package without qualifiers. */
  public static String of(Ecosystem ecosystem, String name, String version) {
    return of(ecosystem, name, version, Map.of());
  }

  /**
   * The purl of a package.
   *
   * @param name Maven {@code group:artifact}, npm {@code @scope/name}, a Go module path, or a plain
   *     name
   * @param qualifiers added sorted by key, as the spec's canonical form wants
   */
  public static String of(
      Ecosystem ecosystem, String name, String version, Map<String, String> qualifiers) {
    String namespace = null;
    String simpleName = name;
    switch (ecosystem) {
      case MAVEN -> {
        int colon = name.indexOf(':');
        namespace = name.substring(0, colon);
        simpleName = name.substring(colon + 1);
      }
      case NPM, GO -> {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
          namespace = name.substring(0, slash);
          simpleName = name.substring(slash + 1);
        }
      }
      case PYPI -> simpleName = name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      case DEBIAN -> namespace = "debian"; // the distribution; DpkgScanner names others
      case ALPINE -> namespace = "alpine";
      default -> {}
    }
    StringBuilder purl = new StringBuilder("pkg:").append(ecosystem.purlType()).append('/');
    if (namespace != null) {
      for (String segment : namespace.split("/")) {
        purl.append(encode(segment)).append('/');
      }
    }
    purl.append(encode(simpleName)).append('@').append(encode(version));
    String separator = "?";
    for (var q : new TreeMap<>(qualifiers).entrySet()) {
      if (q.getValue() != null && !q.getValue().isEmpty()) {
        purl.append(separator).append(q.getKey()).append('=').append(encode(q.getValue()));
        separator = "&";
      }
    }
    return purl.toString();
  }

  /** Percent-encodes everything but ASCII letters, digits and {@code .-_~}. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
