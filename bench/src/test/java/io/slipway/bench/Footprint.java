package io.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
   * their apparent size ({@code du -sb}): a build store's sparse files count terabytes.
   */
  static long bytesUnder(Path directory) {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    String output = run("du", "-s", "-B1", directory.toString());
    return Long.parseLong(output.split("\\s+")[0]);
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
