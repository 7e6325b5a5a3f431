package io.slipway.governance.sbom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses RFC 822-style stanzas (dpkg status, apk installed, Python METADATA) separated by blank
 * lines.
 */
final class Stanzas {

  private Stanzas() {}

  /**
   * Splits {@code Key: value} lines (or apk's {@code K:value}) into stanzas; indented lines
   * continue the previous field.
   *
   * @param headersOnly stop at the first blank line (METADATA has a free-text body after it)
   */
  static List<Map<String, String>> parse(String text, boolean headersOnly) {
    List<Map<String, String>> stanzas = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    String lastKey = null;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          stanzas.add(current);
          current = new LinkedHashMap<>();
          if (headersOnly) {
            return stanzas;
          }
        }
        lastKey = null;
      } else if ((line.startsWith(" ") || line.startsWith("\t")) && lastKey != null) {
        current.merge(lastKey, "\n" + line.strip(), String::concat);
      } else {
        int colon = line.indexOf(':');
        if (colon > 0) {
          lastKey = line.substring(0, colon);
          // The first occurrence wins: METADATA repeats keys such as Classifier, never
          // Name/Version.
          current.putIfAbsent(lastKey, line.substring(colon + 1).strip());
        }
      }
    }
    if (!current.isEmpty()) {
      stanzas.add(current);
    }
    return stanzas;
  }
}
