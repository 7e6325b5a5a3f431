package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The platform images (source stacks and {@code platform-images}) exported once per image version
 * from the host's containers-storage into read-only OCI layouts, {@code <dir>/<image id>}, which
 * every sandbox mounts: a tenant's store imports the ones its builds name on first use.
 */
final class StackExports {

  private static final Duration EXPORT_TIMEOUT = Duration.ofMinutes(10);
  private static final CommandRunner RUNNER = new CommandRunner();
  private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final ConcurrentMap<String, Object> exporting = new ConcurrentHashMap<>();

  StackExports(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * The platform images among {@code platformImages} that {@code containerfile} names, each
   * exported; an image missing from the host is left out (FROM then fails in the build's words).
   */
  List<StackImport> named(String containerfile, List<String> platformImages)
      throws IOException, InterruptedException {
    List<StackImport> imports = new java.util.ArrayList<>();
    for (String image : platformImages.stream().distinct().toList()) {
      if (names(containerfile, image)) {
        Optional<StackImport> exported = export(image);
        if (exported.isPresent()) {
          imports.add(exported.get());
        }
      }
    }
    return imports;
  }

  /** Whether {@code image} appears in {@code containerfile} as a whole reference. */
  static boolean names(String containerfile, String image) {
    return Pattern.compile(
            "(?<![A-Za-z0-9._/:@-])" + Pattern.quote(image) + "(?![A-Za-z0-9._/:@-])")
        .matcher(containerfile)
        .find();
  }

  private Optional<StackImport> export(String image) throws IOException, InterruptedException {
    String id;
    try {
      id =
          RUNNER.output(
              List.of("podman", "image", "inspect", "--format={{.Id}}", image), EXPORT_TIMEOUT);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!IMAGE_ID.matcher(id).matches()) {
      throw notReady(image, new IOException("unexpected image id of " + image + ": " + id));
    }
    try {
      return Optional.of(exportById(image, id));
    } catch (IOException e) {
      throw notReady(image, e);
    }
  }

  private static IOException notReady(String image, IOException cause) {
    return new BuildSandbox.SandboxStepFailedException(
        "the platform image "
            + image
            + " could not be made ready for the build sandbox, so the build did not start; "
            + BuildSandbox.RETRY,
        cause);
  }

  private StackImport exportById(String image, String id) throws IOException, InterruptedException {
    Path layout = dir.resolve(id);
    synchronized (exporting.computeIfAbsent(id, key -> new Object())) {
      if (!Files.isDirectory(layout)) {
        Files.createDirectories(dir);
        Path partial = Files.createTempDirectory(dir, ".export-");
        try {
          RUNNER.output(
              List.of(
                  "skopeo",
                  "copy",
                  "--quiet",
                  "containers-storage:" + id,
                  "oci:" + partial.resolve("layout")),
              EXPORT_TIMEOUT);
          // readable by every tenant's mapped root, writable by none
          RUNNER.output(List.of("chmod", "-R", "a+rX,go-w", partial.toString()), EXPORT_TIMEOUT);
          try {
            Files.move(partial.resolve("layout"), layout, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial.resolve("layout"), layout);
          }
        } finally {
          RUNNER.output(List.of("rm", "-rf", partial.toString()), EXPORT_TIMEOUT);
        }
      }
    }
    return new StackImport(image, SandboxRun.STACKS + "/" + id, id);
  }
}
