package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go modules from {@code go.mod} ({@code require} directives, single or in a block, indirect ones
 * included) or, where a directory has a {@code go.sum} but no {@code go.mod}, from the module
 * versions {@code go.sum} records for their content (not the {@code /go.mod}-only lines, which
 * minimum version selection may never use). {@code replace} directives are not applied.
 */
final class GoModScanner implements PackageScanner {

  @Override
  public boolean wants(String path) {
    return path.equals("go.mod")
        || path.endsWith("/go.mod")
        || path.equals("go.sum")
        || path.endsWith("/go.sum");
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    List<Component> found = new ArrayList<>();
    for (String path : files.paths(this::wants)) {
      String text = new String(files.read(path).orElseThrow(), StandardCharsets.UTF_8);
      if (path.endsWith("go.mod")) {
        fromGoMod(text, "/" + path, found);
      } else if (files
          .read(path.substring(0, path.length() - "go.sum".length()) + "go.mod")
          .isEmpty()) {
        fromGoSum(text, "/" + path, found);
      }
    }
    return found;
  }

  private static void fromGoMod(String text, String location, List<Component> found) {
    boolean inRequireBlock = false;
    for (String raw : text.split("\r?\n")) {
      String line = raw.replaceFirst("//.*$", "").strip();
      if (inRequireBlock) {
        if (line.equals(")")) {
          inRequireBlock = false;
        } else {
          add(line, location, found);
        }
      } else if (line.equals("require (")) {
        inRequireBlock = true;
      } else if (line.startsWith("require ")) {
        add(line.substring("require ".length()).strip(), location, found);
      }
    }
  }

  private static void fromGoSum(String text, String location, List<Component> found) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length == 3 && !fields[1].endsWith("/go.mod")) {
        versions.put(fields[0] + " " + fields[1], fields[1]);
      }
    }
    versions.keySet().forEach(key -> add(key, location, found));
  }

  private static void add(String requirement, String location, List<Component> found) {
    String[] fields = requirement.split("\\s+");
    if (fields.length >= 2 && !fields[0].isEmpty()) {
      found.add(Component.library(Ecosystem.GO, unquote(fields[0]), fields[1], location));
    }
  }

  private static String unquote(String path) {
    return path.length() >= 2 && path.startsWith("\"") && path.endsWith("\"")
        ? path.substring(1, path.length() - 1)
        : path;
  }
}
