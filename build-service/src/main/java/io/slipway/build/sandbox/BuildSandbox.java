package io.slipway.build.sandbox;

import io.slipway.build.BuildProperties;
import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Where and how builds run when the sandbox is on: each tenant has a number (so a uid range of its
 * own), an image store and a cache under {@code <dir>/tenants/<number>/}, owned by its range's
 * root; the platform images are exported once under {@code <dir>/stacks/}. A build is a {@link
 * SandboxRun}; its image is then copied from the tenant's store into the host's containers-storage,
 * where runtime-bridge runs it.
 */
@Component
public class BuildSandbox {

  private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration REMOVE_TIMEOUT = Duration.ofMinutes(10);
  private static final CommandRunner RUNNER = new CommandRunner();

  private final SandboxProperties properties;
  private final SandboxTenants tenants;
  private final Path root;
  private final StackExports exports;

  BuildSandbox(SandboxProperties properties, BuildProperties build, SandboxTenants tenants) {
    if (properties.enabled() && !build.buildNetwork().equals("none")) {
      // a network namespace with outbound access reaches the host's own addresses and every
      // private network: sandboxed builds go out only through the egress proxy, which refuses them
      throw new IllegalStateException(
          "slipway.build.build-network="
              + build.buildNetwork()
              + " is refused while builds run in the sandbox (slipway.build.sandbox.enabled):"
              + " sandboxed builds have no network of their own and reach package registries"
              + " through build-service's egress proxy (slipway.build.egress.*)");
    }
    this.properties = properties;
    this.tenants = tenants;
    this.root =
        (properties.dir().isBlank()
                ? build.dataDir().resolve(".sandbox")
                : Path.of(properties.dir()))
            .toAbsolutePath();
    this.exports = new StackExports(root.resolve("stacks"));
  }

  public boolean enabled() {
    return properties.enabled();
  }

  /**
   * A step of the sandbox on the host failed: its message is for the build's owner (no host path,
   * no tool output), its cause for build-service's log.
   */
  public static final class SandboxStepFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    SandboxStepFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What a user can do about a failure on the platform's side. */
  static final String RETRY =
      "push again to rebuild; if it fails again, tell the platform's operator (build-service's log"
          + " has the details)";

  /** The container name of a build's sandbox. */
  public static String containerName(UUID buildId) {
    return "slipway-build-" + buildId;
  }

  /**
   * The sandbox of one build: the tenant's directories are made (owned by its range's root) on its
   * first build, and the platform images the Containerfile names are exported if they are not yet.
   *
   * @param stackImages the source stacks' images; the {@code platform-images} setting adds to them
   * @param generated a Containerfile a stack generated outside {@code source}, or null
   * @param containerfileText the Containerfile's text, for the platform images it names
   * @param containerfile its path inside the builder
   */
  public SandboxRun prepare(
      UUID buildId,
      String tenant,
      Path source,
      Path generated,
      String containerfileText,
      String containerfile,
      String image,
      long memoryMib,
      long milliCpus,
      List<String> stackImages)
      throws IOException, InterruptedException {
    long number = tenants.number(tenant);
    long uidBase = uidBase(number);
    if (uidBase + SandboxRun.RANGE > 4_294_967_294L) {
      throw new IOException("no uid range is left for another tenant's build sandbox");
    }
    Path home = tenantHome(number);
    Path storage = owned(home.resolve("storage"), uidBase);
    Path cache = owned(home.resolve("cache"), uidBase);
    // mounted even when the build names no platform image (FROM scratch)
    Files.createDirectories(exports.dir());
    List<String> allowed =
        Stream.concat(stackImages.stream(), properties.platformImages().stream())
            .filter(name -> !name.isBlank())
            .toList();
    return new SandboxRun(
        containerName(buildId),
        properties.builderImage(),
        uidBase,
        storage,
        cache,
        exports.dir(),
        source,
        generated,
        memoryMib,
        milliCpus,
        properties.pidsLimit(),
        properties.openFiles(),
        exports.named(containerfileText, allowed),
        BuilderBud.inTenantStore(containerfile, image, SandboxRun.SOURCE),
        egressDir(home));
  }

  /**
   * The directory of the tenant's egress proxy socket: the host's (root's, not the tenant's range),
   * so a build cannot replace the socket; the sandbox mounts it read-only.
   */
  static Path egressDir(Path tenantHome) throws IOException {
    return Files.createDirectories(tenantHome.resolve("egress"));
  }

  /**
   * Copies a built image from the tenant's store into the host's containers-storage (layers the
   * host has already, the platform images', are not copied again). The store is the tenant's to
   * write, so it is checked first: a symbolic link where the store keeps its own directories could
   * make the host read its own files into the image.
   *
   * @param run the build's sandbox, as {@link #prepare} gave it
   */
  public void handOver(SandboxRun run, String image) throws IOException, InterruptedException {
    Path home = run.storage().getParent();
    Path graph = run.storage().resolve("storage");
    refuseLinks(graph);
    Path runRoot = Files.createDirectories(home.resolve("run"));
    try {
      copy(graph, runRoot, image);
    } finally {
      // the host's containers-storage leaves the store's overlay directory bind-mounted on the
      // host after the copy: a mount per tenant that would outlive the store
      unmount(graph.resolve("overlay"));
      // what the host's copy made in the store (overlay/l, mounts, tmp) is owned by host root,
      // which the sandbox's namespace cannot map: give it back to the tenant's root
      giveBack(graph, run.uidBase());
    }
  }

  private static void copy(Path graph, Path runRoot, String image)
      throws IOException, InterruptedException {
    try {
      RUNNER.output(
          List.of(
              "skopeo",
              "copy",
              "--quiet",
              "containers-storage:[overlay@" + graph + "+" + runRoot + "]" + image,
              "containers-storage:" + image),
          COPY_TIMEOUT);
    } catch (IOException e) {
      throw new SandboxStepFailedException(
          "the image was built, but copying it out of the build sandbox into the platform's image"
              + " storage failed, so it cannot be deployed; "
              + RETRY,
          e);
    }
  }

  private static void unmount(Path dir) throws InterruptedException {
    try {
      RUNNER.output(List.of("umount", dir.toString()), Duration.ofSeconds(30));
    } catch (IOException e) {
      // not mounted
    }
  }

  private static void giveBack(Path graph, long uid) throws IOException {
    try (Stream<Path> paths = Files.walk(graph, 3)) {
      for (Path path : paths.toList()) {
        if ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0) {
          Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(path, "unix:gid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** Removes a build's sandbox container if it is still there (stopped or left by a dead JVM). */
  public static void remove(UUID buildId) {
    try {
      RUNNER.output(
          List.of("podman", "rm", "--force", "--ignore", "--time=0", containerName(buildId)),
          Duration.ofSeconds(60));
    } catch (IOException e) {
      // nothing to remove, or podman will say so on the next try
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Removes a deleted tenant's sandbox: its directory (image store, cache) and then its number's
   * row, so a pass that fails half-way is done again in full. Its number is never given again, so
   * no later tenant builds in its range. Idempotent: a tenant without a sandbox has nothing to
   * remove.
   *
   * @param tenantId the id tenant-service issued
   */
  public void removeTenant(String tenantId) throws IOException, InterruptedException {
    Optional<Long> number = tenants.find(tenantId);
    if (number.isEmpty()) {
      return;
    }
    Path home = tenantHome(number.get());
    if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
      // left mounted only by a copy that a dead JVM did not finish (handOver unmounts it)
      unmount(home.resolve("storage").resolve("storage").resolve("overlay"));
      // rm, not a walk here: the store is the tenant's to write, and rm neither follows its links
      // nor leaves this file system
      RUNNER.output(
          List.of("rm", "-rf", "--one-file-system", "--", home.toString()), REMOVE_TIMEOUT);
    }
    tenants.forget(tenantId);
  }

  /**
   * Refuses a store with a symbolic link in its own structure ({@code <graph>} and three levels
   * below it), except overlay's short-name links {@code overlay/l/*}, which point into the store
   * itself; links inside layers' {@code diff} directories are image content and are copied as
   * links, never followed.
   */
  static void refuseLinks(Path graph) throws IOException {
    if (!Files.isDirectory(graph, LinkOption.NOFOLLOW_LINKS)) {
      throw new SandboxStepFailedException(
          "the image was built, but the tenant's image store in the build sandbox is missing, so"
              + " the image cannot be copied out and deployed; "
              + RETRY,
          null);
    }
    Path shortNames = graph.resolve("overlay").resolve("l");
    try (Stream<Path> paths = Files.walk(graph, 3)) {
      List<Path> links =
          paths
              .filter(path -> Files.isSymbolicLink(path))
              .filter(path -> !path.getParent().equals(shortNames))
              .toList();
      if (!links.isEmpty()) {
        throw new SandboxStepFailedException(
            "the image is not deployed: the tenant's image store was changed from inside a build"
                + " (a symbolic link at "
                + graph.relativize(links.get(0))
                + "), and an image is never copied out of a store that was",
            null);
      }
    }
  }

  /** The first host uid (and gid) of the range of the tenant with this sandbox number. */
  private long uidBase(long number) {
    return properties.uidBase() + number * SandboxRun.RANGE;
  }

  private Path tenantHome(long number) {
    return root.resolve("tenants").resolve(Long.toString(number));
  }

  private static Path owned(Path dir, long uid) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      Files.setAttribute(dir, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:gid", (int) uid, LinkOption.NOFOLLOW_LINKS);
    }
    return dir;
  }
}
