package io.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a platform keeps on this machine, as the soak measures it: its built images in the host's
 * containers-storage (those named under its image prefix) and its state directory.
 */
final class Footprint {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The platform's images: how many, and the sum of their sizes (each image whole, so the layers
   * they share with the stack are counted once per image: what matters here is the trend).
   */
  record Images(int count, long bytes) {}

  private Footprint() {}

  /** The images with a name under {@code prefix} ({@code localhost/<prefix>images}). */
  static Images images(String prefix) {
    int count = 0;
    long bytes = 0;
    for (JsonNode image : JSON.readTree(run("podman", "image", "ls", "--format", "json"))) {
      for (JsonNode name : image.path("Names")) {
        if (name.asString().startsWith(prefix + "/")) {
          count++;
          bytes += image.path("Size").asLong();
          break;
        }
      }
    }
    return new Images(count, bytes);
  }

  /**
   * {@code du -s -B1} of a directory: the disk its files take, in bytes (0 when it is missing). Not
   * their apparent size ({@code du -sb}): a build store's sparse files count terabytes. What is
   * mounted below it is left out: a build sandbox mounts the platform's store (counted where it
   * lies, and twice through the mount) and the tenant's store image (its file counted already).
   */
  static long bytesUnder(Path directory) {
    if (!Files.exists(directory)) {
      return 0;
    }
    List<String> command = new ArrayList<>(List.of("du", "-s", "-B1"));
    mountsUnder(directory).forEach(mountPoint -> command.add("--exclude=" + mountPoint));
    command.add(directory.toString());
    String output = run(command.toArray(String[]::new));
    return Long.parseLong(output.split("\\s+")[0]);
  }

  private static List<String> mountsUnder(Path directory) {
    String prefix = directory.toAbsolutePath() + "/";
    try {
      return Files.readString(Path.of("/proc/self/mountinfo"))
          .lines()
          .map(line -> line.split(" ")[4])
          .filter(mountPoint -> mountPoint.startsWith(prefix))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same for a directory's entries except {@code left out}, each measured alone: one {@code du}
   * of the whole less one of the part would count what changed between the two (build-service keeps
   * its build stores, {@code .sandbox}, among the git repositories).
   */
  static long bytesUnder(Path directory, String leftOut) {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(entry -> !entry.getFileName().toString().equals(leftOut))
          .mapToLong(Footprint::bytesUnder)
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(String... command) {
    try {
      Process process =
          new ProcessBuilder(new ArrayList<>(List.of(command)))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end");
      }
      // du reports files that vanished while it walked (a build's temporary files) and exits 1
      if (process.exitValue() != 0 && output.isBlank()) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
