package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * npm packages from {@code package-lock.json} (lockfile versions 2 and 3: the {@code packages}
 * object) and from the {@code package.json} of each installed {@code node_modules/<name>} or {@code
 * node_modules/@scope/<name>}. Version-1 lockfiles (npm 6 and older) have no {@code packages} and
 * are not read.
 */
final class NpmScanner implements PackageScanner {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern INSTALLED =
      Pattern.compile("(.*/)?node_modules/(@[^/]+/)?[^/@][^/]*/package\\.json");
  private static final String NODE_MODULES = "node_modules/";

  @Override
  public boolean wants(String path) {
    return path.equals("package-lock.json")
        || path.endsWith("/package-lock.json")
        || INSTALLED.matcher(path).matches();
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    List<Component> found = new ArrayList<>();
    for (String path : files.paths(this::wants)) {
      JsonNode json;
      try {
        json = JSON.readTree(files.read(path).orElseThrow());
      } catch (JacksonException e) {
        continue;
      }
      if (path.endsWith("package-lock.json")) {
        fromLockfile(json, "/" + path, found);
      } else {
        String name = json.path("name").asString("");
        String version = json.path("version").asString("");
        if (!name.isEmpty() && !version.isEmpty()) {
          found.add(Component.library(Ecosystem.NPM, name, version, "/" + path));
        }
      }
    }
    return found;
  }

  private static void fromLockfile(JsonNode lock, String location, List<Component> found) {
    for (Map.Entry<String, JsonNode> entry : lock.path("packages").properties()) {
      String key = entry.getKey();
      JsonNode pkg = entry.getValue();
      int last = key.lastIndexOf(NODE_MODULES);
      if (last < 0 || pkg.path("link").asBoolean(false)) {
        continue; // the root project, a workspace folder, or a symlink to one
      }
      // An aliased dependency ("foo": "npm:bar@1") records the real package under "name".
      String name = pkg.path("name").asString(key.substring(last + NODE_MODULES.length()));
      String version = pkg.path("version").asString("");
      if (!version.isEmpty()) {
        found.add(Component.library(Ecosystem.NPM, name, version, location));
      }
    }
  }
}
