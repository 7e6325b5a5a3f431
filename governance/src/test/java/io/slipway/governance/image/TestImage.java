package io.slipway.governance.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds real images in containers-storage with buildah, one layer per step, for tests; every image
 * and working container it makes is named {@code localhost/slipway-gov-test/...} and removed by
 * {@link #close()}.
 */
public final class TestImage implements AutoCloseable {

  private final String name =
      "localhost/slipway-gov-test/" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> containers = new ArrayList<>();
  private final List<String> images = new ArrayList<>();
  private String container;

  /** The repository of the images this builder makes. */
  public String repository() {
    return name;
  }

  /** Starts from scratch. */
  public TestImage fromScratch() {
    container =
        buildah(
                "from",
                "--name",
                "slipway-gov-test-" + UUID.randomUUID().toString().substring(0, 8),
                "scratch")
            .strip();
    containers.add(container);
    return this;
  }

  /** Starts from one of this builder's images. */
  public TestImage from(String image) {
    container =
        buildah(
                "from",
                "--pull-never",
                "--name",
                "slipway-gov-test-" + UUID.randomUUID().toString().substring(0, 8),
                image)
            .strip();
    containers.add(container);
    return this;
  }

  /** Copies a directory's content to the root: one layer at the next commit. */
  public TestImage copy(Path dir) {
    buildah("copy", container, dir.toString() + "/", "/");
    return this;
  }

  /** Runs a command in the image (needs {@code /bin/busybox} in it). */
  public TestImage run(String... command) {
    List<String> args = new ArrayList<>(List.of("run", "--isolation", "chroot", container, "--"));
    args.addAll(List.of(command));
    buildah(args.toArray(String[]::new));
    return this;
  }

  /** Commits the working container as {@code <repository>:<tag>} and returns that reference. */
  public String commit(String tag) {
    String ref = name + ":" + tag;
    // By id: a later commit to the same tag leaves the earlier image untagged, still to be removed.
    images.add(buildah("commit", "--quiet", container, ref).strip());
    return ref;
  }

  @Override
  public void close() {
    for (String c : containers) {
      tryBuildah("rm", c);
    }
    for (String image : images.reversed()) {
      tryBuildah("rmi", "--force", image);
    }
  }

  private static void tryBuildah(String... args) {
    try {
      buildah(args);
    } catch (IllegalStateException e) {
      // already gone: cleanup is best effort
    }
  }

  static String buildah(String... args) {
    List<String> command = new ArrayList<>(List.of("buildah"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
