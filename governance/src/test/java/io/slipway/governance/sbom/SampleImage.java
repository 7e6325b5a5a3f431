package io.slipway.governance.sbom;

import io.slipway.governance.image.TestImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.assertj.core.api.Assertions;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * A known sample image: real files from this host (dpkg stanzas, Python metadata, os-release, under
 * {@code src/test/resources/sample-image}; the host's skopeo as a Go binary under another name),
 * real jars from the test classpath, an npm lockfile and a go.mod, in two layers; the second
 * deletes {@code /opt/old} (a jar that must not be listed).
 */
public final class SampleImage {

  private SampleImage() {}

  /** The jar a class was loaded from (a real Maven artifact on the test classpath). */
  static Path jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The version in a Maven repository file name, {@code jackson-core-3.1.4.jar} → {@code 3.1.4}.
   */
  static String versionOf(Path jar) {
    return jar.getParent().getFileName().toString();
  }

  /** Builds the sample image and returns its reference. */
  public static String build(TestImage image, Path work) throws IOException {
    Path rootfs = work.resolve("rootfs");
    copyTree(Path.of("src/test/resources/sample-image"), rootfs);
    Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
    Files.createDirectories(rootfs.resolve("usr/local/bin"));
    Files.copy(Path.of("/usr/bin/skopeo"), rootfs.resolve("usr/local/bin/image-tool"));
    Files.createDirectories(rootfs.resolve("opt/lib"));
    Files.copy(jarOf(JsonParser.class), rootfs.resolve("opt/lib/jackson-core.jar"));
    Files.createDirectories(rootfs.resolve("opt/old"));
    Files.copy(jarOf(Assertions.class), rootfs.resolve("opt/old/assertj-core.jar"));
    writeExecutableJar(rootfs.resolve("app/app.jar"));

    image.fromScratch().copy(rootfs);
    String base = image.commit("base");
    image.from(base).run("/bin/busybox", "rm", "-rf", "/opt/old");
    return image.commit("1");
  }

  /** A Spring Boot-style executable jar: its own pom.properties, and a real jar in BOOT-INF/lib. */
  private static void writeExecutableJar(Path target) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    manifest
        .getMainAttributes()
        .putValue("Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target), manifest)) {
      put(
          jar,
          "META-INF/maven/io.slipway.sample/sample-app/pom.properties",
          "artifactId=sample-app\ngroupId=io.slipway.sample\nversion=1.0.0\n"
              .getBytes(StandardCharsets.UTF_8));
      put(jar, "BOOT-INF/lib/jackson-databind.jar", Files.readAllBytes(jarOf(JsonMapper.class)));
    }
  }

  private static void put(JarOutputStream jar, String name, byte[] content) throws IOException {
    jar.putNextEntry(new ZipEntry(name));
    OutputStream out = jar;
    out.write(content);
    jar.closeEntry();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
