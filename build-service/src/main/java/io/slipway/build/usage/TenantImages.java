package io.slipway.build.usage;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The size of a tenant's images in the host's containers-storage: the images with a name under its
 * prefix, each counted once (however many names it has) at the size {@code podman image ls} shows
 * for it ({@code podman image inspect}'s {@code .Size}: all its layers). Layers two images share
 * (their stack's base, an earlier build's) are in each image's size.
 */
final class TenantImages {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final CommandRunner runner = new CommandRunner();

  /** Every image in storage, one {@code <id> <name>} a line (an image with n names: n lines). */
  private static List<String> listArguments() {
    return List.of(
        "podman",
        "image",
        "ls",
        "--noheading",
        "--no-trunc",
        "--format",
        "{{.ID}} {{.Repository}}:{{.Tag}}");
  }

  /** The size in bytes of each image, one a line. */
  private static List<String> sizeArguments(Set<String> ids) {
    List<String> args =
        new ArrayList<>(List.of("podman", "image", "inspect", "--format", "{{.Size}}"));
    args.addAll(ids);
    return args;
  }

  /** The ids of the images with a name that starts with {@code prefix}, from the listing. */
  static Set<String> idsNamed(String listing, String prefix) {
    Set<String> ids = new LinkedHashSet<>();
    listing
        .lines()
        .map(line -> line.strip().split(" ", 2))
        .filter(fields -> fields.length == 2 && fields[1].startsWith(prefix))
        .forEach(fields -> ids.add(fields[0].replaceFirst("^sha256:", "")));
    return ids;
  }

  /**
   * The bytes of the images named under {@code prefix}. podman fails a listing or the sizes when an
   * image is removed while it reads them (another tenant's, as like as not): they are read again.
   */
  long bytes(String prefix) throws IOException, InterruptedException {
    return bytesByPrefix(List.of(prefix)).get(prefix);
  }

  /**
   * The bytes of the images named under each of {@code prefixes}, from one listing and one read of
   * the sizes (start-up measures every tenant: one podman listing per tenant took ~2 s each on a
   * host with many images); a prefix no image has: 0.
   */
  Map<String, Long> bytesByPrefix(Collection<String> prefixes)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        String listing = runner.output(listArguments(), TIMEOUT);
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        Set<String> all = new LinkedHashSet<>();
        for (String prefix : prefixes) {
          ids.put(prefix, idsNamed(listing, prefix));
          all.addAll(ids.get(prefix));
        }
        Map<String, Long> sizes = sizes(all);
        Map<String, Long> bytes = new LinkedHashMap<>();
        ids.forEach(
            (prefix, named) ->
                bytes.put(
                    prefix, named.stream().mapToLong(id -> sizes.getOrDefault(id, 0L)).sum()));
        return bytes;
      } catch (IOException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** Each image's size in bytes, by id. */
  private Map<String, Long> sizes(Set<String> ids) throws IOException, InterruptedException {
    Map<String, Long> sizes = new HashMap<>();
    if (ids.isEmpty()) {
      return sizes;
    }
    List<String> lines =
        runner.output(sizeArguments(ids), TIMEOUT).lines().map(String::strip).toList();
    List<String> order = List.copyOf(ids);
    if (lines.size() != order.size()) {
      throw new IOException(
          "podman image inspect gave " + lines.size() + " sizes for " + order.size() + " images");
    }
    for (int i = 0; i < order.size(); i++) {
      sizes.put(order.get(i), Long.parseLong(lines.get(i)));
    }
    return sizes;
  }
}
