package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python distributions: installed ones from {@code *.dist-info/METADATA} and {@code
 * *.egg-info/PKG-INFO}, and pinned ones ({@code name==version}) from {@code requirements*.txt}.
 * Requirements that are not exact pins name no version and are not listed.
 */
final class PythonScanner implements PackageScanner {

  private static final Pattern REQUIREMENTS = Pattern.compile("(.*/)?requirements[^/]*\\.txt");
  private static final Pattern PIN =
      Pattern.compile(
          "([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(\\[[^]]*])?\\s*===?\\s*([^\\s;#,]+)\\s*(;.*)?");

  @Override
  public boolean wants(String path) {
    return path.endsWith(".dist-info/METADATA")
        || path.endsWith(".egg-info/PKG-INFO")
        || REQUIREMENTS.matcher(path).matches();
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    List<Component> found = new ArrayList<>();
    for (String path : files.paths(this::wants)) {
      String text = new String(files.read(path).orElseThrow(), StandardCharsets.UTF_8);
      if (REQUIREMENTS.matcher(path).matches()) {
        fromRequirements(text, "/" + path, found);
      } else {
        List<Map<String, String>> headers = Stanzas.parse(text, true);
        if (!headers.isEmpty()
            && headers.get(0).containsKey("Name")
            && headers.get(0).containsKey("Version")) {
          found.add(
              Component.library(
                  Ecosystem.PYPI,
                  normalise(headers.get(0).get("Name")),
                  headers.get(0).get("Version"),
                  "/" + path));
        }
      }
    }
    return found;
  }

  private static void fromRequirements(String text, String location, List<Component> found) {
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      int comment = line.indexOf(" #");
      if (comment >= 0) {
        line = line.substring(0, comment).strip();
      }
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("-")) {
        continue;
      }
      Matcher pin = PIN.matcher(line);
      if (pin.matches()) {
        found.add(
            Component.library(Ecosystem.PYPI, normalise(pin.group(1)), pin.group(3), location));
      }
    }
  }

  /** PEP 503 normalisation: lower case, runs of {@code -_.} become one {@code -}. */
  static String normalise(String name) {
    return name.strip().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }
}
