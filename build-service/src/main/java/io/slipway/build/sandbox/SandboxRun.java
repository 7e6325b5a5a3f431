package io.slipway.build.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One build in its sandbox, typed: a container of the builder image in a user namespace of the
 * tenant's own (root inside is {@code uidBase} outside, never host root), with no network, podman's
 * default capabilities inside that namespace, {@code no-new-privileges}, memory, pids and CPU
 * limits, the tenant's own image store and cache, and the tenant's build directories read-only. The
 * build runs either in a container of its own ({@link #arguments()}, {@code podman run --rm}) or in
 * the tenant's warm builder ({@link #startArguments} once, then {@link #request()} per build over
 * the builder's control socket, or {@link #execArguments} when that does not answer; one build at a
 * time: see {@link WarmBuilders}); both have the very same container options ({@link
 * #containerOptions()}).
 *
 * @param name the container's name: {@code slipway-build-<build id>} for a container of its own,
 *     the warm builder's name otherwise
 * @param builderImage the pinned builder image ({@code config/builder/})
 * @param uidBase the first host uid (and gid) of the tenant's range of {@link #RANGE} ids
 * @param storage the tenant's image store, mounted at {@code /var/lib/containers}
 * @param cache the tenant's {@code RUN --mount=type=cache} directory
 * @param platform the tenant's read-only view of the platform images' store ({@link
 *     PlatformStore#viewFor}), mounted at {@link PlatformStore#INSIDE} with {@code storageConf}
 *     over the builder image's storage configuration; null: the store holds no image yet
 * @param storageConf the storage configuration that names {@code platform} an additional image
 *     store ({@link PlatformStore#builderStorageConf}); null with {@code platform}
 * @param workspace the tenant's build directories (one per build: the checked-out commit and a
 *     generated Containerfile), mounted read-only at {@link #WORKSPACE}
 * @param memoryMib the memory limit of the whole sandbox (swap included)
 * @param milliCpus its CPU limit, thousandths of a core; 0: none
 * @param pids how many processes it may have at once
 * @param openFiles its open-files limit (runc in a user namespace cannot raise it)
 * @param bud the build itself
 * @param egress the directory of the tenant's egress proxy socket ({@link #egressSocket}), mounted
 *     read-only at {@link #EGRESS}; null: the build has no way out at all
 * @param scratch the tenant's directory for buildah's large temporary files (a commit stages each
 *     new layer there before it enters the store), on its store's file system, mounted at {@link
 *     #SCRATCH}; null: the builder's own, on the host's disk
 */
public record SandboxRun(
    String name,
    String builderImage,
    long uidBase,
    Path storage,
    Path cache,
    Path platform,
    Path storageConf,
    Path workspace,
    long memoryMib,
    long milliCpus,
    long pids,
    long openFiles,
    BuilderBud bud,
    Path egress,
    Path scratch) {

  /** How many uids and gids each tenant's range holds. */
  public static final long RANGE = 65536;

  /** Where the tenant's build directories are inside the builder. */
  public static final String WORKSPACE = "/workspace";

  /** buildah's directory for large temporary files (TMPDIR). */
  static final String SCRATCH = "/var/tmp";

  /** buildah's cache directory for {@code RUN --mount=type=cache} as root (TMPDIR /var/tmp). */
  static final String CACHE = "/var/tmp/buildah-cache-0";

  /**
   * Where the tenant's egress proxy socket's directory is inside the builder; the entry script
   * relays the sandbox's own {@code 127.0.0.1:3128} to {@code proxy.sock} in it.
   */
  public static final String EGRESS = "/run/slipway/egress";

  /**
   * Where a warm builder's control directory is inside it ({@code config/builder/slipway-serve}).
   */
  static final String CONTROL = "/run/slipway/control";

  /** The label that names the sandbox directory a warm builder belongs to. */
  static final String SANDBOX_LABEL = "io.slipway.sandbox";

  /** The label that names the build-service process (its pid) that started a warm builder. */
  static final String OWNER_LABEL = "io.slipway.owner";

  /** The label that names the tenant (its id) a warm builder belongs to. */
  public static final String TENANT_LABEL = "io.slipway.tenant";

  /** The tenant's egress proxy socket on the host, in {@link #egress}. */
  public Path egressSocket() {
    return egress.resolve("proxy.sock");
  }

  /** Where a build directory of {@link #workspace} is inside the builder. */
  public static String inside(Path workspace, Path path) {
    return WORKSPACE + "/" + workspace.relativize(path);
  }

  /** A build in a container of its own: the exact command line, no shell, no interpolation. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add("podman");
    args.add("run");
    args.add("--rm");
    // a second try after the runtime failed to start the first may find its container left
    args.add("--replace");
    args.add("--name=" + name);
    args.addAll(containerOptions());
    args.add(builderImage);
    args.addAll(buildCommand());
    return args;
  }

  /**
   * Starts the tenant's warm builder: the same container, waiting (catatonit as its init, so what a
   * build leaves running is reaped) for builds on its control socket, in {@code control}, its own
   * directory (the only thing it mounts that a container of a build's own does not).
   *
   * @param sandbox the sandbox directory, a label that finds the builders it started
   * @param tenant the tenant's id, a label
   * @param owner the pid of the build-service that starts it, a label
   * @param control the builder's control directory on the host
   */
  public List<String> startArguments(String sandbox, String tenant, String owner, Path control) {
    List<String> args = new ArrayList<>();
    args.add("podman");
    args.add("run");
    args.add("--detach");
    args.add("--init");
    args.add("--name=" + name);
    args.add("--label=" + SANDBOX_LABEL + "=" + sandbox);
    args.add("--label=" + TENANT_LABEL + "=" + tenant);
    args.add("--label=" + OWNER_LABEL + "=" + owner);
    args.addAll(containerOptions());
    args.add("--volume=" + control + ":" + CONTROL);
    args.add(builderImage);
    args.add("slipway-serve");
    return args;
  }

  /**
   * A build in the tenant's warm builder over its control socket: the arguments of {@code
   * slipway-build}, the very ones a container of the build's own runs it with.
   */
  public List<String> request() {
    List<String> command = buildCommand();
    return command.subList(1, command.size());
  }

  /** A build in the tenant's warm builder when its control socket does not answer. */
  public List<String> execArguments() {
    List<String> args = new ArrayList<>();
    args.add("podman");
    args.add("exec");
    args.add(name);
    args.addAll(buildCommand());
    return args;
  }

  /**
   * What every container on a tenant's store has, a build's or not: no network, the tenant's uid
   * range, no new privileges, and the process and open-file limits (runc in a user namespace cannot
   * raise them past these).
   */
  static List<String> isolation(long uidBase, long pids, long openFiles) {
    return List.of(
        "--network=none",
        "--uidmap=0:" + uidBase + ":" + RANGE,
        "--gidmap=0:" + uidBase + ":" + RANGE,
        "--security-opt=no-new-privileges",
        "--ulimit=nofile=" + openFiles + ":" + openFiles,
        "--ulimit=nproc=" + pids + ":" + pids,
        "--pids-limit=" + pids);
  }

  /**
   * The platform images' store, seen read-only, and the storage configuration that names it; none
   * while it holds no image.
   */
  static List<String> platformVolumes(Path platform, Path storageConf) {
    if (platform == null) {
      return List.of();
    }
    return List.of(
        "--volume=" + platform + ":" + PlatformStore.INSIDE + ":ro",
        "--volume=" + storageConf + ":/etc/containers/storage.conf:ro");
  }

  /** What makes the container the sandbox: a warm builder is reused only when they are equal. */
  public List<String> containerOptions() {
    List<String> args = new ArrayList<>(isolation(uidBase, pids, openFiles));
    args.add("--memory=" + memoryMib + "m");
    args.add("--memory-swap=" + memoryMib + "m");
    if (milliCpus > 0) {
      args.add("--cpus=" + milliCpus / 1000 + "." + String.format("%03d", milliCpus % 1000));
    }
    args.add("--volume=" + storage + ":/var/lib/containers");
    if (scratch != null) {
      args.add("--volume=" + scratch + ":" + SCRATCH);
    }
    args.add("--volume=" + cache + ":" + CACHE);
    args.addAll(platformVolumes(platform, storageConf));
    args.add("--volume=" + workspace + ":" + WORKSPACE + ":ro");
    if (egress != null) {
      args.add("--volume=" + egress + ":" + EGRESS + ":ro");
    }
    return args;
  }

  private List<String> buildCommand() {
    List<String> args = new ArrayList<>();
    args.add("slipway-build");
    args.add("--");
    args.addAll(bud.arguments());
    return args;
  }

  /** The same run with no way out at all: a fork's pull request builds so (issue 25). */
  public SandboxRun withoutEgress() {
    return copy(name, null);
  }

  /** The same build in the container of that name. */
  SandboxRun in(String container) {
    return copy(container, egress);
  }

  private SandboxRun copy(String container, Path egressDirectory) {
    return new SandboxRun(
        container,
        builderImage,
        uidBase,
        storage,
        cache,
        platform,
        storageConf,
        workspace,
        memoryMib,
        milliCpus,
        pids,
        openFiles,
        bud,
        egressDirectory,
        scratch);
  }
}
