package io.slipway.build.sandbox;

import io.slipway.build.BuildProperties;
import io.slipway.build.process.CommandRunner;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Where and how builds run when the sandbox is on: each tenant has a number (so a uid range of its
 * own), an image store and a cache under {@code <dir>/tenants/<number>/}, owned by its range's
 * root; the platform images are copied once per version into a store of their own under {@code
 * <dir>/platform/}, which every tenant's sandbox sees read-only ({@link PlatformStore}). A build is
 * a {@link SandboxRun} in a {@link SandboxLease} (the tenant's warm builder, or a container of its
 * own); its image is then copied from the tenant's store into the host's containers-storage, where
 * runtime-bridge runs it.
 *
 * <p>What a warm rebuild does not do again: an image whose id is one this service copied out of the
 * same tenant's store before (a rebuild that changed nothing) is only tagged on the host, not
 * copied. That is remembered here, in memory, never read from the store the tenant can write: after
 * a restart the first build copies again.
 */
@Component
public class BuildSandbox {

  private static final Logger log = LoggerFactory.getLogger(BuildSandbox.class);

  private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration REMOVE_TIMEOUT = Duration.ofMinutes(10);
  private static final CommandRunner RUNNER = new CommandRunner();
  private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");

  /** A line of {@link #storeCacheImages}'s listing (a warning buildah prints is none). */
  private static final Pattern CACHE_IMAGE =
      Pattern.compile("(?:sha256:)?([0-9a-f]{64})\\s+(-?\\d+)");

  /** How many image ids per tenant are remembered as copied out of its store. */
  private static final int HANDED_OVER_KEPT = 32;

  private final SandboxProperties properties;
  private final SandboxTenants tenants;
  private final Path root;
  private final PlatformStore platform;
  private final WarmBuilders warm;
  private final BuildStores stores;

  /** By tenant id: the ids of the images last copied out of its store onto the host. */
  private final ConcurrentMap<String, Set<String>> handedOver = new ConcurrentHashMap<>();

  /** By tenant id: how many of its builds hold a sandbox now (guarded by itself). */
  private final Map<String, Integer> running = new HashMap<>();

  /** The tenants whose full store is emptied as soon as none of their builds runs. */
  private final Set<String> toEmpty = ConcurrentHashMap.newKeySet();

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
    this.platform =
        new PlatformStore(
            properties.platformDir().isBlank()
                ? root.resolve("platform")
                : Path.of(properties.platformDir()).toAbsolutePath());
    this.warm = new WarmBuilders(properties.warmIdle(), root.toString(), properties.enabled());
    this.stores = new BuildStores(properties.storeMib());
  }

  /**
   * Mounts the tenants' build stores again (a host that restarted has none mounted, and a stopped
   * build-service unmounted them), growing those smaller than the setting, in the background: a
   * build mounts its tenant's store itself if it comes first.
   */
  @PostConstruct
  void openStores() {
    if (properties.enabled()) {
      Thread.ofVirtual().name("build-stores").start(() -> stores.openAll(tenantsDir()));
    }
  }

  public boolean enabled() {
    return properties.enabled();
  }

  /**
   * Copies the version the host has of each platform image ({@code stackImages} and {@code
   * platform-images}) that the platform images' store lacks: done when the service starts, so that
   * no tenant's first build of a stack waits for it.
   *
   * @return the images copied
   */
  public List<String> preparePlatformImages(List<String> stackImages)
      throws IOException, InterruptedException {
    return platform.prepareAll(platformImages(stackImages));
  }

  private List<String> platformImages(List<String> stackImages) {
    return Stream.concat(stackImages.stream(), properties.platformImages().stream())
        .filter(name -> !name.isBlank())
        .toList();
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

  /** Ends the key of a tenant's forks' sandbox: tenant ids are numbers, so none ends with it. */
  private static final String FORKS = "-forks";

  /**
   * The sandbox a build of the tenant runs in: the tenant's own, or for a fork's pull request the
   * tenant's forks' sandbox, which has a number (and uid range), a build store, a layer and {@code
   * RUN --mount=type=cache} cache and warm builders of its own. A fork's code is anyone's: what it
   * leaves in a cache or a layer must never be what the tenant's own next build reuses.
   *
   * @param tenantId the id tenant-service issued
   * @return the key the sandbox's methods take
   */
  public static String sandboxOf(String tenantId, boolean fork) {
    return fork ? tenantId + FORKS : tenantId;
  }

  /** Both sandboxes of the tenant: its own and its forks'. */
  private static List<String> sandboxesOf(String tenantId) {
    return List.of(sandboxOf(tenantId, false), sandboxOf(tenantId, true));
  }

  /** The tenant whose sandbox {@code sandbox} ({@link #sandboxOf}) is. */
  public static String tenantOf(String sandbox) {
    return sandbox.endsWith(FORKS)
        ? sandbox.substring(0, sandbox.length() - FORKS.length())
        : sandbox;
  }

  /** The container name of a build's sandbox. */
  public static String containerName(UUID buildId) {
    return "slipway-build-" + buildId;
  }

  /**
   * The tenant's build directory, mounted read-only into its sandbox: each build gets a fresh
   * directory of its own in it ({@link #buildDirectory}), removed when the build ends.
   */
  public Path workspace(String tenant) throws IOException {
    Path work = tenantHome(tenants.number(tenant)).resolve("work");
    if (!Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(work);
      // the sandbox's root (an unprivileged uid) may enter it, not list it; only host root writes
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    }
    return work;
  }

  /**
   * A fresh directory for one build in the tenant's {@link #workspace}, named with {@code prefix}
   * (the build's context prefix: a restarted service finds what a dead one left by it), which the
   * sandbox's root may read and never write.
   */
  public Path buildDirectory(String tenant, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(workspace(tenant), prefix);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  /** Removes the build directories named with {@code prefix} a dead service left in a workspace. */
  public void removeBuildDirectories(String tenant, String prefix) throws InterruptedException {
    Optional<Long> number = tenants.find(tenant);
    if (number.isEmpty()) {
      return;
    }
    Path work = tenantHome(number.get()).resolve("work");
    try (Stream<Path> dirs = Files.list(work)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
        RUNNER.output(
            List.of("rm", "-rf", "--one-file-system", "--", dir.toString()), REMOVE_TIMEOUT);
      }
    } catch (IOException e) {
      // no workspace, or nothing left in it
    }
  }

  /**
   * The sandbox of one build: the tenant's directories are made (owned by its range's root) on its
   * first build, and the platform images the Containerfile names are copied into the platform
   * images' store if it lacks their version.
   *
   * @param stackImages the source stacks' images; the {@code platform-images} setting adds to them
   * @param source the checked-out commit, in the tenant's {@link #workspace}
   * @param containerfileText the Containerfile's text, for the platform images it names
   * @param containerfile the Containerfile, in the tenant's {@link #workspace}
   */
  public SandboxRun prepare(
      UUID buildId,
      String tenant,
      Path source,
      String containerfileText,
      Path containerfile,
      String image,
      long memoryMib,
      long milliCpus,
      List<String> stackImages)
      throws IOException, InterruptedException {
    long number = tenants.use(tenant);
    long uidBase = uidBase(number);
    if (uidBase + SandboxRun.RANGE > 4_294_967_294L) {
      throw new IOException("no uid range is left for another tenant's build sandbox");
    }
    Path home = tenantHome(number);
    // the image store and cache share the tenant's size-limited file system: a build that fills
    // it fails there, and the host's disk is not touched
    Path store = stores.open(home);
    if (!Files.exists(store.resolve(LAYOUT), LinkOption.NOFOLLOW_LINKS)) {
      // a store made before the platform images had a store of their own holds copies of them,
      // which would hide the platform's versions: the tenant's images and cache go with them once
      // (a new store has nothing to empty, nor its tenant a builder to remove)
      boolean made = !Files.exists(store.resolve("storage"), LinkOption.NOFOLLOW_LINKS);
      if (made || emptyIfIdle(tenant, home)) {
        Files.writeString(store.resolve(LAYOUT), "platform images in their own store\n");
      }
    }
    if (toEmpty.contains(tenant)) {
      emptyIfIdle(tenant, home);
    }
    Path storage = owned(store.resolve("storage"), uidBase);
    Path cache = owned(store.resolve("cache"), uidBase);
    Path scratch = owned(store.resolve("tmp"), uidBase);
    Path work = workspace(tenant);
    platform.prepare(containerfileText, platformImages(stackImages));
    boolean seen = platform.exists();
    return new SandboxRun(
        containerName(buildId),
        properties.builderImage(),
        uidBase,
        storage,
        cache,
        seen ? platform.viewFor(home, uidBase) : null,
        seen ? platform.builderStorageConf() : null,
        work,
        memoryMib,
        milliCpus,
        properties.pidsLimit(),
        properties.openFiles(),
        BuilderBud.inTenantStore(
            SandboxRun.inside(work, containerfile), image, SandboxRun.inside(work, source)),
        egressDir(home),
        scratch);
  }

  /**
   * The directory of the tenant's egress proxy socket: the host's (root's, not the tenant's range),
   * so a build cannot replace the socket; the sandbox mounts it read-only.
   */
  static Path egressDir(Path tenantHome) throws IOException {
    return Files.createDirectories(tenantHome.resolve("egress"));
  }

  /**
   * The container the build runs in: the tenant's warm builder (started now if it has none idle),
   * or one of its own when warm builders are off.
   */
  public SandboxLease start(SandboxRun run, String tenant)
      throws IOException, InterruptedException {
    synchronized (running) {
      running.merge(tenant, 1, Integer::sum);
    }
    try {
      return warm.lease(tenant, run);
    } catch (IOException | RuntimeException e) {
      ended(tenant);
      throw e;
    }
  }

  private void ended(String tenant) {
    synchronized (running) {
      running.computeIfPresent(tenant, (key, count) -> count > 1 ? count - 1 : null);
    }
  }

  /**
   * Empties the tenant's build store (images, layers, cache) after a build filled it, which would
   * otherwise fail every later build too: now if none of its builds runs, else before its next
   * build that runs alone. Its warm builders go too (they have the store mounted).
   */
  public void emptyStore(String tenant) throws InterruptedException {
    toEmpty.add(tenant);
    Optional<Long> number = tenants.find(tenant);
    if (number.isPresent()) {
      try {
        emptyIfIdle(tenant, tenantHome(number.get()));
      } catch (IOException e) {
        // tried again before its next build
      }
    }
  }

  /** Empties the tenant's store unless a build of the tenant runs; whether it did. */
  private boolean emptyIfIdle(String tenant, Path home) throws IOException, InterruptedException {
    synchronized (running) {
      if (running.containsKey(tenant)) {
        return false;
      }
      warm.removeTenant(tenant);
      Path store = stores.of(home).mountPoint();
      for (String dir : List.of("storage", "cache", "tmp")) {
        RUNNER.output(
            List.of("rm", "-rf", "--one-file-system", "--", store.resolve(dir).toString()),
            REMOVE_TIMEOUT);
      }
      toEmpty.remove(tenant);
      return true;
    }
  }

  /**
   * Ends a build's use of its container: kept for the tenant's next build if the build succeeded,
   * removed otherwise. A build that did not succeed also makes the next one ask podman for the
   * platform images' ids again (a stack may have been rebuilt).
   */
  public void finish(SandboxLease lease, boolean succeeded) {
    if (!succeeded) {
      platform.recheck();
    }
    warm.release(lease, succeeded);
    ended(lease.tenant());
    if (!succeeded && lease.run().scratch() != null) {
      clearScratchIfIdle(lease.tenant(), lease.run());
    }
  }

  /**
   * Removes what a build that did not succeed left in the tenant's scratch directory (a killed
   * buildah leaves the layer it was committing), unless another build of the tenant is using it.
   */
  private void clearScratchIfIdle(String tenant, SandboxRun run) {
    synchronized (running) {
      if (running.containsKey(tenant)) {
        return;
      }
      try {
        RUNNER.output(
            List.of("rm", "-rf", "--one-file-system", "--", run.scratch().toString()),
            REMOVE_TIMEOUT);
        owned(run.scratch(), run.uidBase());
      } catch (IOException e) {
        // the next failed build tries again; what is left counts against the store, not the host
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * How much of its build stores (its own and its forks') the tenant uses now, MiB (their file
   * systems' own count, instant); empty when it has none or none is mounted.
   */
  public OptionalLong storeUsedMib(String tenant) throws IOException {
    OptionalLong used = OptionalLong.empty();
    for (String sandbox : sandboxesOf(tenant)) {
      Optional<Long> number = tenants.find(sandbox);
      OptionalLong mib =
          number.isEmpty() ? OptionalLong.empty() : stores.usedMib(tenantHome(number.get()));
      if (mib.isPresent()) {
        used = OptionalLong.of(used.orElse(0) + mib.getAsLong());
      }
    }
    return used;
  }

  /** The tenant's idle warm builders, by container name. */
  List<String> idleBuilders(String tenant) {
    return warm.idleOf(tenant);
  }

  /** A warm builder's control socket on the host. */
  Path controlSocket(String builder) {
    return warm.socket(builder);
  }

  /** Removes the warm builders idle for longer than {@code slipway.build.sandbox.warm-idle}. */
  @Scheduled(fixedDelay = 15, initialDelay = 15, timeUnit = TimeUnit.SECONDS)
  void stopIdleBuilders() {
    warm.stopIdle();
  }

  /** Removes the warm builders idle for {@code longerThan} or more (tests, and operators). */
  void stopIdleBuilders(Duration longerThan) {
    warm.stopIdle(longerThan);
  }

  /**
   * Removes the warm builders, then unmounts the tenants' stores and views of the platform images
   * they had mounted.
   */
  @PreDestroy
  void removeBuilders() {
    warm.removeAll();
    if (properties.enabled()) {
      stores.closeAll(tenantsDir());
      List<Path> homes;
      try (Stream<Path> listed = Files.list(tenantsDir())) {
        homes = listed.toList();
      } catch (IOException e) {
        return; // no tenant has built yet
      }
      for (Path home : homes) {
        try {
          PlatformStore.closeView(home);
        } catch (IOException e) {
          // that view stays mounted (read-only) until the host restarts; the others are closed
          log.warn("Could not unmount the platform images' view in {}: {}", home, e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * The image id a successful build printed last ({@code buildah bud} ends with it), if its output
   * ends with one.
   */
  public static Optional<String> builtImageId(List<String> lastLines) {
    if (lastLines.isEmpty()) {
      return Optional.empty();
    }
    String last = lastLines.get(lastLines.size() - 1).strip();
    return IMAGE_ID.matcher(last).matches() ? Optional.of(last) : Optional.empty();
  }

  /**
   * Copies a built image from the tenant's store into the host's containers-storage (layers the
   * host has already, the platform images', are not copied again). The store is the tenant's to
   * write, so it is checked first: a symbolic link where the store keeps its own directories could
   * make the host read its own files into the image. A rebuild that made an image this service
   * copied out of the same tenant's store before ({@code builtId}, as the build printed it, among
   * the ids the host's copies got) is only tagged: the host already holds exactly that image, and
   * it came from this tenant; a build that prints another tenant's id gets a copy of its own store,
   * as any other build.
   *
   * @param run the build's sandbox, as {@link #prepare} gave it
   * @param builtId the image's id as the build printed it, if it did
   * @return whether the image was copied (false: only tagged)
   */
  public boolean handOver(SandboxRun run, String tenant, String image, Optional<String> builtId)
      throws IOException, InterruptedException {
    if (builtId.isPresent()
        && handedOver.getOrDefault(tenant, Set.of()).contains(builtId.get())
        && tag(builtId.get(), image)) {
      return false;
    }
    Path home = run.workspace().getParent();
    Path graph = run.storage().resolve("storage");
    refuseLinks(graph);
    Path runRoot = Files.createDirectories(home.resolve("run"));
    try {
      copy(
          graph,
          runRoot,
          platform.exists() ? Optional.of(platform.graph()) : Optional.empty(),
          image);
    } finally {
      // the host's containers-storage leaves the store's overlay directory bind-mounted on the
      // host after the copy: a mount per tenant that would outlive the store
      unmount(graph.resolve("overlay"));
      // what the host's copy made in the store (overlay/l, mounts, tmp) is owned by host root,
      // which the sandbox's namespace cannot map: give it back to the tenant's root
      giveBack(graph, run.uidBase());
    }
    // only the tenant's next unchanged rebuild needs it: asked of podman off the build's path
    Thread.ofVirtual()
        .name("remember-handed-over")
        .start(
            () -> {
              try {
                remember(tenant, image);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    return true;
  }

  /**
   * Tags a host image by id; false when the host no longer holds it. buildah, not podman: the same
   * store, without podman's start-up (about 100 ms of a warm rebuild's hand-back).
   */
  private static boolean tag(String id, String image) throws InterruptedException {
    try {
      RUNNER.output(List.of("buildah", "tag", id, image), COPY_TIMEOUT);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Remembers the id the host's copy of the tenant's image got (never the id the build said). */
  private void remember(String tenant, String image) throws InterruptedException {
    Optional<String> answer = PlatformStore.hostImageId(image);
    if (answer.isEmpty()) {
      return;
    }
    String id = answer.get();
    if (IMAGE_ID.matcher(id).matches()) {
      handedOver
          .computeIfAbsent(
              tenant,
              key ->
                  Collections.synchronizedSet(
                      Collections.newSetFromMap(
                          new LinkedHashMap<>() {
                            @Override
                            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                              return size() > HANDED_OVER_KEPT;
                            }
                          })))
          .add(id);
    }
  }

  /**
   * Copies the image out of the tenant's store; its platform layers are read from the platform
   * images' store, as its builds saw them (the host has them already, so they are not copied).
   */
  private static void copy(Path graph, Path runRoot, Optional<Path> platformGraph, String image)
      throws IOException, InterruptedException {
    String options = platformGraph.map(store -> ":overlay.imagestore=" + store).orElse("");
    try {
      RUNNER.output(
          List.of(
              "skopeo",
              "copy",
              "--quiet",
              "containers-storage:[overlay@" + graph + "+" + runRoot + options + "]" + image,
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

  static void giveBack(Path graph, long uid) throws IOException {
    for (Map.Entry<Path, BasicFileAttributes> entry : StoreWalk.entries(graph, 3).entrySet()) {
      Path path = entry.getKey();
      try {
        if ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0) {
          Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(path, "unix:gid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        }
      } catch (NoSuchFileException gone) {
        // a temporary file of buildah's, gone since it was listed: nothing to give back
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
   * Removes a deleted tenant's sandboxes, its own and its forks': each one's warm builders, build
   * store (unmounted), directory and then number's row, so a pass that fails half-way is done again
   * in full. A number is never given again, so no later tenant builds in its range. Idempotent: a
   * tenant without a sandbox has nothing to remove.
   *
   * @param tenantId the id tenant-service issued
   */
  public void removeTenant(String tenantId) throws IOException, InterruptedException {
    removeSandbox(sandboxOf(tenantId, true));
    removeSandbox(sandboxOf(tenantId, false));
  }

  private void removeSandbox(String tenantId) throws IOException, InterruptedException {
    Optional<Long> number = tenants.find(tenantId);
    if (number.isEmpty()) {
      return;
    }
    warm.removeTenant(tenantId);
    handedOver.remove(tenantId);
    Path home = tenantHome(number.get());
    if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
      PlatformStore.closeView(home);
      // left mounted only by a copy that a dead JVM did not finish (handOver unmounts it)
      unmount(
          stores.of(home).mountPoint().resolve("storage").resolve("storage").resolve("overlay"));
      stores.close(home);
      // rm, not a walk here: the store is the tenant's to write, and rm neither follows its links
      // nor leaves this file system
      RUNNER.output(
          List.of("rm", "-rf", "--one-file-system", "--", home.toString()), REMOVE_TIMEOUT);
    }
    tenants.forget(tenantId);
  }

  /**
   * The images in the tenant's own image stores (its sandbox's and its forks'), by name and tag:
   * listed by buildah inside a container of the tenant's sandbox (the store is the tenant's to
   * write, so host tools never walk it for this). Empty when the tenant has no sandbox.
   *
   * @param tenantId the id tenant-service issued
   */
  public List<String> storeImages(String tenantId) throws IOException, InterruptedException {
    List<String> images = new ArrayList<>();
    for (String sandbox : sandboxesOf(tenantId)) {
      images.addAll(imagesInStore(sandbox));
    }
    return images;
  }

  private List<String> imagesInStore(String sandbox) throws IOException, InterruptedException {
    Optional<List<String>> inStore =
        inStore(sandbox, List.of("images", "--noheading", "--format", "{{.Name}}:{{.Tag}}"));
    return inStore
        .map(
            lines ->
                lines.stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.endsWith("<none>:<none>"))
                    .toList())
        .orElse(List.of());
  }

  /**
   * Removes from the tenant's own image stores (its sandbox's and its forks') the images {@code
   * owned} says are a deleted app's or project's (the host's copies are removed apart); what else
   * the store holds (the tenant's other apps, their cache) stays. Idempotent.
   *
   * @param tenantId the id tenant-service issued
   */
  public void removeStoreImages(String tenantId, Predicate<String> owned)
      throws IOException, InterruptedException {
    for (String sandbox : sandboxesOf(tenantId)) {
      List<String> images = imagesInStore(sandbox).stream().filter(owned).toList();
      if (!images.isEmpty()) {
        List<String> rmi = new ArrayList<>(List.of("rmi", "--force"));
        rmi.addAll(images);
        inStore(sandbox, rmi);
      }
    }
  }

  /**
   * An image of a tenant's store that has no name and no image built on it: a step of a build stage
   * that the build's own image is not made from (the first stages of a multi-stage build), or the
   * last step that worked in a build that failed. It stays as that stage's layer cache.
   *
   * @param id the store's full image id
   * @param created when the step that made it was committed (the build sandbox's clock, the host's)
   */
  public record CacheImage(String id, Instant created) {}

  /**
   * The untagged images at the ends of the tenant's layer cache ({@link CacheImage}): listed by
   * buildah in a container of the tenant's sandbox. Empty when the tenant has no sandbox.
   *
   * @param tenantId the id tenant-service issued
   */
  public List<CacheImage> storeCacheImages(String tenantId)
      throws IOException, InterruptedException {
    Optional<List<String>> inStore =
        inStore(
            tenantId,
            List.of(
                "images",
                "--all",
                "--no-trunc",
                "--noheading",
                "--filter",
                "dangling=true",
                "--format",
                "{{.ID}} {{.CreatedAtRaw.Unix}}"));
    return inStore.orElse(List.of()).stream()
        .map(line -> CACHE_IMAGE.matcher(line.strip()))
        .filter(java.util.regex.Matcher::matches)
        .map(
            image ->
                new CacheImage(
                    image.group(1), Instant.ofEpochSecond(Long.parseLong(image.group(2)))))
        .toList();
  }

  /**
   * Removes the tenant's cache images {@code ids} ({@link #storeCacheImages}), each with the
   * untagged images it was made on that nothing else is made on (buildah's {@code rmi}): the steps
   * a kept image or another cache image shares stay. An image a container of the sandbox uses is
   * not removed (no {@code --force}): buildah says so, and the others still go.
   *
   * @param tenantId the id tenant-service issued
   */
  public void removeStoreCacheImages(String tenantId, List<String> ids)
      throws IOException, InterruptedException {
    if (!ids.isEmpty()) {
      List<String> rmi = new ArrayList<>(List.of("rmi"));
      rmi.addAll(ids);
      inStore(tenantId, rmi);
    }
  }

  /** Runs buildah with {@code arguments} in a container of the tenant's sandbox, on its store. */
  private Optional<List<String>> inStore(String tenantId, List<String> arguments)
      throws IOException, InterruptedException {
    Optional<Long> number = tenants.find(tenantId);
    if (number.isEmpty()) {
      return Optional.empty();
    }
    long uidBase = uidBase(number.get());
    Path home = tenantHome(number.get());
    if (!Files.exists(stores.of(home).image(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Path storage = stores.open(home).resolve("storage");
    if (!Files.isDirectory(storage, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>(List.of("podman", "run", "--rm"));
    command.addAll(SandboxRun.isolation(uidBase, properties.pidsLimit(), properties.openFiles()));
    command.add("--volume=" + storage + ":/var/lib/containers");
    if (platform.exists()) {
      // the tenant's images are made of the platform images' layers
      command.addAll(
          SandboxRun.platformVolumes(
              platform.viewFor(home, uidBase), platform.builderStorageConf()));
    }
    command.add(properties.builderImage());
    command.add("buildah");
    command.addAll(arguments);
    return Optional.of(RUNNER.output(command, REMOVE_TIMEOUT).lines().toList());
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
    List<Path> links =
        StoreWalk.entries(graph, 3).entrySet().stream()
            .filter(entry -> entry.getValue().isSymbolicLink())
            .map(Map.Entry::getKey)
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

  /** The first host uid (and gid) of the range of the tenant with this sandbox number. */
  private long uidBase(long number) {
    return properties.uidBase() + number * SandboxRun.RANGE;
  }

  /** The tenants' build stores (for {@link StaleStores}). */
  BuildStores stores() {
    return stores;
  }

  /** The sandbox directory, which labels the containers of its builds. */
  String label() {
    return root.toString();
  }

  Path tenantHome(long number) {
    return tenantsDir().resolve(Long.toString(number));
  }

  Path tenantsDir() {
    return root.resolve("tenants");
  }

  /**
   * The file at a store's root (host root's: the sandbox mounts only directories below it) that
   * says the store was made for the platform images' own store and holds no copy of them.
   */
  private static final String LAYOUT = ".layout";

  private static Path owned(Path dir, long uid) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      Files.setAttribute(dir, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:gid", (int) uid, LinkOption.NOFOLLOW_LINKS);
    }
    return dir;
  }
}
