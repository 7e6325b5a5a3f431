package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The platform images (source stacks and {@code platform-images}) exported once per image version
 * from the host's containers-storage into read-only OCI layouts, {@code <dir>/<image id>}, which
 * every sandbox mounts: a tenant's store imports the ones its builds name on first use.
 *
 * <p>Which version (image id) a platform image's name has on the host is asked of podman at most
 * once per {@link #RECHECK} per name, and again after a build that did not succeed: a stack rebuilt
 * while the service runs is picked up within that time, and a warm rebuild does not pay a podman
 * process for it.
 */
final class StackExports {

  private static final Duration EXPORT_TIMEOUT = Duration.ofMinutes(10);
  private static final CommandRunner RUNNER = new CommandRunner();
  private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");

  /** How long the image id a platform image's name had is taken as still its id. */
  static final Duration RECHECK = Duration.ofSeconds(60);

  private record Known(String id, Instant at) {}

  private final Path dir;
  private final ConcurrentMap<String, Object> exporting = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Known> ids = new ConcurrentHashMap<>();

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

  /** Asks podman again for every platform image's id on the next build. */
  void recheck() {
    ids.clear();
  }

  private Optional<StackImport> export(String image) throws IOException, InterruptedException {
    Known known = ids.get(image);
    if (known != null
        && known.at().isAfter(Instant.now().minus(RECHECK))
        && Files.isDirectory(dir.resolve(known.id()))) {
      return Optional.of(new StackImport(image, SandboxRun.STACKS + "/" + known.id(), known.id()));
    }
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
      StackImport exported = exportById(image, id);
      ids.put(image, new Known(id, Instant.now()));
      return Optional.of(exported);
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
