package io.slipway.build.usage;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The size of a tenant's images in the host's containers-storage: the images with a name under its
 * prefix, each counted once (however many names it has) at the size podman gives it (all its
 * layers, as {@code podman image inspect}'s {@code .Size}). Layers two images share (their stack's
 * base, an earlier build's) are in each image's size. One {@code podman image ls --format json}
 * gives names and sizes together (a listing, then an inspect of the ids, was two podman processes
 * after every build).
 */
final class TenantImages {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> LIST = List.of("podman", "image", "ls", "--format", "json");

  private final CommandRunner runner = new CommandRunner();

  /**
   * The bytes of the images in {@code listing} ({@code podman image ls --format json}) that have a
   * name starting with {@code prefix}, each image once.
   */
  static long bytesNamed(JsonNode listing, String prefix) {
    long bytes = 0;
    for (JsonNode image : listing) {
      for (JsonNode name : image.path("Names")) {
        if (name.asString().startsWith(prefix)) {
          bytes += image.path("Size").asLong();
          break;
        }
      }
    }
    return bytes;
  }

  /**
   * The bytes of the images named under {@code prefix}. podman fails a listing when an image is
   * removed while it reads it (another tenant's, as like as not): it is read again.
   */
  long bytes(String prefix) throws IOException, InterruptedException {
    return bytesByPrefix(List.of(prefix)).get(prefix);
  }

  /**
   * The bytes of the images named under each of {@code prefixes}, from one listing (start-up
   * measures every tenant: one podman listing per tenant took ~2 s each on a host with many
   * images); a prefix no image has: 0.
   */
  Map<String, Long> bytesByPrefix(Collection<String> prefixes)
      throws IOException, InterruptedException {
    JsonNode listing = listing();
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (String prefix : prefixes) {
      bytes.put(prefix, bytesNamed(listing, prefix));
    }
    return bytes;
  }

  private JsonNode listing() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        JsonNode listing = JsonMapper.shared().readTree(runner.output(LIST, TIMEOUT));
        if (!listing.isArray()) {
          throw new IOException("podman image ls gave no list");
        }
        return listing;
      } catch (IOException | JacksonException e) {
        if (attempt == 3) {
          throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
      }
    }
  }
}
