package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform images (source stacks and {@code platform-images}) in an image store of their own,
 * {@code <dir>/storage}: copied once per image version from the host's containers-storage, written
 * only by host root, and seen by every tenant's sandbox read-only through an idmapped mount of its
 * own ({@link #viewFor}) as an additional image store. {@code FROM} a platform image therefore uses
 * these very layers in every tenant's build: no tenant's store holds a copy, a tenant's first build
 * of a stack costs what its later ones do, and no build can change what another tenant's builds
 * start from.
 *
 * <p>Which version (image id) a platform image's name has on the host is asked of podman at most
 * once per {@link #RECHECK} per name, and again after a build that did not succeed: a stack rebuilt
 * while the service runs is copied within that time, and a warm rebuild does not pay a podman
 * process for it. Versions a name no longer has stay in the store: tenants' images are made of
 * their layers.
 */
public final class PlatformStore {

  private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
  private static final CommandRunner RUNNER = new CommandRunner();
  private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Where a sandbox sees the store. */
  static final String INSIDE = "/var/lib/slipway-platform";

  /**
   * The storage configuration of a sandbox that sees the store: the builder image's own ({@code
   * config/builder/storage.conf}: native overlay, the tenant's store at {@code
   * /var/lib/containers}) with this store as an additional, read-only image store.
   */
  static final String BUILDER_STORAGE_CONF =
      """
      # Written by build-service (PlatformStore): the builder image's storage.conf, plus the
      # platform images' store, read-only, as an additional image store.
      [storage]
      driver = "overlay"
      runroot = "/run/containers/storage"
      graphroot = "/var/lib/containers/storage"

      [storage.options]
      additionalimagestores = ["%s"]

      [storage.options.overlay]
      mountopt = "nodev"
      """
          .formatted(INSIDE);

  /** How long the image id a platform image's name had is taken as still its id. */
  static final Duration RECHECK = Duration.ofSeconds(60);

  private record Known(String id, Instant at) {}

  private final Path dir;

  /** Guards the tenants' views and the builders' storage configuration (not the copies). */
  private final Object views = new Object();

  private final ConcurrentMap<String, Known> hostIds = new ConcurrentHashMap<>();

  /** By name: the id it has in the store (guarded by {@code this}; null until read). */
  private Map<String, String> stored;

  public PlatformStore(Path dir) {
    this.dir = dir;
  }

  /** The store's graph root on the host. */
  Path graph() {
    return dir.resolve("storage");
  }

  /** Whether the store holds an image yet (a sandbox sees it only then). */
  boolean exists() {
    return Files.exists(graph().resolve("overlay-images").resolve("images.json"));
  }

  /** The storage configuration a sandbox that sees the store mounts over its own. */
  public Path builderStorageConf() throws IOException {
    Path conf = dir.resolve("builder-storage.conf");
    synchronized (views) {
      if (!Files.exists(conf) || !Files.readString(conf).equals(BUILDER_STORAGE_CONF)) {
        Path written =
            Files.writeString(dir.resolve("builder-storage.conf.new"), BUILDER_STORAGE_CONF);
        Files.move(written, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return conf;
  }

  /**
   * Copies into the store those of {@code platformImages} that {@code containerfile} names and the
   * store lacks in the version the host has; an image missing from the host is left out ({@code
   * FROM} then fails in the build's words).
   */
  public void prepare(String containerfile, List<String> platformImages)
      throws IOException, InterruptedException {
    for (String image : platformImages.stream().distinct().toList()) {
      if (names(containerfile, image)) {
        Optional<String> id = hostId(image);
        if (id.isPresent()) {
          copy(image, id.get());
        }
      }
    }
  }

  /**
   * Copies into the store the version the host has of each of {@code platformImages} that it lacks;
   * an image missing from the host is left out.
   *
   * @return the images copied
   */
  public List<String> prepareAll(List<String> platformImages)
      throws IOException, InterruptedException {
    List<String> copied = new java.util.ArrayList<>();
    for (String image : platformImages.stream().distinct().toList()) {
      Optional<String> id = hostId(image);
      if (id.isPresent() && copy(image, id.get())) {
        copied.add(image);
      }
    }
    return copied;
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
    hostIds.clear();
  }

  /**
   * The store as the tenant whose sandbox maps its root to host uid {@code uidBase} sees it:
   * mounted (idmapped, read-only) at {@code <home>/platform} if it is not yet.
   */
  public Path viewFor(Path home, long uidBase) throws IOException, InterruptedException {
    Path view = home.resolve("platform");
    synchronized (views) {
      if (!mounted(view)) {
        Files.createDirectories(view);
        Files.createDirectories(graph());
        try {
          IdmappedMount.mount(graph(), view, uidBase, SandboxRun.RANGE);
        } catch (IOException e) {
          throw new BuildSandbox.SandboxStepFailedException(
              "the build sandbox could not be given the platform images (mounting them for the"
                  + " tenant failed on the host), so the build did not start; "
                  + BuildSandbox.RETRY,
              e);
        }
      }
    }
    return view;
  }

  /** Unmounts the tenant's view of the store, if it has one (idempotent). */
  public static void closeView(Path home) throws IOException, InterruptedException {
    Path view = home.resolve("platform");
    if (mounted(view)) {
      RUNNER.output(List.of("umount", view.toString()), COPY_TIMEOUT);
    }
  }

  private static boolean mounted(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    return StoreFileSystem.mountedSource(
            Files.readString(Path.of("/proc/self/mountinfo")), dir.toRealPath())
        .isPresent();
  }

  private Optional<String> hostId(String image) throws IOException, InterruptedException {
    Known known = hostIds.get(image);
    if (known != null && known.at().isAfter(Instant.now().minus(RECHECK))) {
      return Optional.of(known.id());
    }
    Optional<String> answer = hostImageId(image);
    if (answer.isEmpty()) {
      return answer;
    }
    String id = answer.get();
    if (!IMAGE_ID.matcher(id).matches()) {
      throw notReady(image, new IOException("unexpected image id of " + image + ": " + id));
    }
    hostIds.put(image, new Known(id, Instant.now()));
    return Optional.of(id);
  }

  /** What podman says the image's id on the host is; empty when it has no such image. */
  static Optional<String> hostImageId(String image) throws InterruptedException {
    try {
      return Optional.of(
          RUNNER.output(
              List.of("podman", "image", "inspect", "--format={{.Id}}", image), COPY_TIMEOUT));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Copies the host's image {@code id} into the store as {@code image}; false: it had it. */
  private synchronized boolean copy(String image, String id)
      throws IOException, InterruptedException {
    if (stored == null) {
      stored = read();
    }
    if (id.equals(stored.get(image))) {
      return false;
    }
    Path graph = Files.createDirectories(graph());
    try {
      RUNNER.output(
          List.of(
              "skopeo",
              "copy",
              "--quiet",
              "containers-storage:" + id,
              "containers-storage:[overlay@" + graph + "+" + dir.resolve("run") + "]" + image),
          COPY_TIMEOUT);
    } catch (IOException e) {
      throw notReady(image, e);
    } finally {
      // containers-storage leaves the store's overlay directory bind-mounted on the host
      try {
        RUNNER.output(List.of("umount", graph.resolve("overlay").toString()), COPY_TIMEOUT);
      } catch (IOException e) {
        // not mounted
      }
    }
    stored.put(image, id);
    return true;
  }

  /**
   * The store's names and their ids, as its own index says (host root's file, never a tenant's).
   */
  private Map<String, String> read() throws IOException {
    Map<String, String> names = new HashMap<>();
    Path index = graph().resolve("overlay-images").resolve("images.json");
    if (Files.exists(index)) {
      for (JsonNode image : JSON.readTree(index.toFile())) {
        for (JsonNode name : image.path("names")) {
          names.put(name.asString(), image.path("id").asString());
        }
      }
    }
    return names;
  }

  /** Why a platform image is not ready, in words for the pusher (a full disk named as such). */
  static IOException notReady(String image, IOException cause) {
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    return new BuildSandbox.SandboxStepFailedException(
        "the platform image "
            + image
            + " could not be made ready for the build sandbox, so the build did not start; "
            + (message.contains("no space left on device")
                ? "the platform's disk is full: tell the platform's operator, who must free space"
                    + " before builds can run"
                : BuildSandbox.RETRY),
        cause);
  }
}
