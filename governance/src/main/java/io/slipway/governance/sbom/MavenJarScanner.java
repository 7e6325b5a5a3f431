package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Maven artifacts from the {@code META-INF/maven/<group>/<artifact>/pom.properties} that Maven
 * writes into every jar it builds, including the jars nested in a Spring Boot executable jar
 * ({@code BOOT-INF/lib/}) or a war ({@code WEB-INF/lib/}).
 */
final class MavenJarScanner implements PackageScanner {

  private static final int MAX_NESTING = 3;

  @Override
  public boolean wants(String path) {
    return path.endsWith(".jar") || path.endsWith(".war") || path.endsWith(".ear");
  }

  @Override
  public List<Component> scan(ImageFiles files) {
    List<Component> found = new ArrayList<>();
    for (String path : files.paths(this::wants)) {
      try {
        scanArchive(files.read(path).orElseThrow(), "/" + path, 0, found);
      } catch (IOException e) {
        // A corrupt or non-zip ".jar" is not a package; the SBOM lists what can be read.
        continue;
      }
    }
    return found;
  }

  private void scanArchive(byte[] archive, String location, int depth, List<Component> found)
      throws IOException {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String name = entry.getName();
        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          Component component = fromPomProperties(zip.readAllBytes(), location);
          if (component != null) {
            found.add(component);
          }
        } else if (depth < MAX_NESTING && wants(name) && !entry.isDirectory()) {
          scanArchive(zip.readAllBytes(), location + "!/" + name, depth + 1, found);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Component fromPomProperties(byte[] content, String location) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(new String(content, StandardCharsets.ISO_8859_1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String group = properties.getProperty("groupId");
    String artifact = properties.getProperty("artifactId");
    String version = properties.getProperty("version");
    if (group == null || artifact == null || version == null) {
      return null;
    }
    return Component.library(
        Ecosystem.MAVEN, group.strip() + ":" + artifact.strip(), version.strip(), location);
  }
}
