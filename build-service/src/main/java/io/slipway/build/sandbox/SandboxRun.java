package io.slipway.build.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One build in its sandbox, typed: a {@code podman run} of the builder image in a user namespace of
 * the tenant's own (root inside is {@code uidBase} outside, never host root), with no network,
 * podman's default capabilities inside that namespace, {@code no-new-privileges}, memory, pids and
 * CPU limits, the tenant's own image store and cache, and the checked-out commit read-only.
 *
 * @param name the container's name, {@code slipway-build-<build id>}
 * @param builderImage the pinned builder image ({@code config/builder/})
 * @param uidBase the first host uid (and gid) of the tenant's range of {@link #RANGE} ids
 * @param storage the tenant's image store, mounted at {@code /var/lib/containers}
 * @param cache the tenant's {@code RUN --mount=type=cache} directory
 * @param stacks the host's exported platform images, mounted read-only at {@link #STACKS}
 * @param source the checked-out commit, mounted read-only at {@link #SOURCE}
 * @param containerfile a generated Containerfile outside the source, mounted read-only at {@link
 *     #GENERATED_CONTAINERFILE}; null when the repository has its own
 * @param memoryMib the memory limit of the whole sandbox (swap included)
 * @param milliCpus its CPU limit, thousandths of a core; 0: none
 * @param pids how many processes it may have at once
 * @param openFiles its open-files limit (runc in a user namespace cannot raise it)
 * @param imports the platform images the Containerfile names, imported when the store lacks them
 * @param bud the build itself
 * @param egress the directory of the tenant's egress proxy socket ({@link #egressSocket}), mounted
 *     read-only at {@link #EGRESS}; null: the build has no way out at all
 */
public record SandboxRun(
    String name,
    String builderImage,
    long uidBase,
    Path storage,
    Path cache,
    Path stacks,
    Path source,
    Path containerfile,
    long memoryMib,
    long milliCpus,
    long pids,
    long openFiles,
    List<StackImport> imports,
    BuilderBud bud,
    Path egress) {

  /** How many uids and gids each tenant's range holds. */
  public static final long RANGE = 65536;

  /** Where the exported platform images are inside the builder. */
  public static final String STACKS = "/stacks";

  /** Where the checked-out commit is inside the builder. */
  public static final String SOURCE = "/workspace/src";

  /** Where a stack's generated Containerfile is inside the builder. */
  public static final String GENERATED_CONTAINERFILE = "/workspace/Containerfile";

  /** buildah's cache directory for {@code RUN --mount=type=cache} as root (TMPDIR /var/tmp). */
  static final String CACHE = "/var/tmp/buildah-cache-0";

  /**
   * Where the tenant's egress proxy socket's directory is inside the builder; the entry script
   * relays the sandbox's own {@code 127.0.0.1:3128} to {@code proxy.sock} in it.
   */
  public static final String EGRESS = "/run/slipway/egress";

  public SandboxRun {
    imports = List.copyOf(imports);
  }

  /** The tenant's egress proxy socket on the host, in {@link #egress}. */
  public Path egressSocket() {
    return egress.resolve("proxy.sock");
  }

  /** The exact command line: no shell, no interpolation. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add("podman");
    args.add("run");
    args.add("--rm");
    args.add("--name=" + name);
    args.add("--network=none");
    args.add("--uidmap=0:" + uidBase + ":" + RANGE);
    args.add("--gidmap=0:" + uidBase + ":" + RANGE);
    args.add("--security-opt=no-new-privileges");
    args.add("--ulimit=nofile=" + openFiles + ":" + openFiles);
    args.add("--ulimit=nproc=" + pids + ":" + pids);
    args.add("--pids-limit=" + pids);
    args.add("--memory=" + memoryMib + "m");
    args.add("--memory-swap=" + memoryMib + "m");
    if (milliCpus > 0) {
      args.add("--cpus=" + milliCpus / 1000 + "." + String.format("%03d", milliCpus % 1000));
    }
    args.add("--volume=" + storage + ":/var/lib/containers");
    args.add("--volume=" + cache + ":" + CACHE);
    args.add("--volume=" + stacks + ":" + STACKS + ":ro");
    args.add("--volume=" + source + ":" + SOURCE + ":ro");
    if (containerfile != null) {
      args.add("--volume=" + containerfile + ":" + GENERATED_CONTAINERFILE + ":ro");
    }
    if (egress != null) {
      args.add("--volume=" + egress + ":" + EGRESS + ":ro");
    }
    args.add(builderImage);
    args.add("slipway-build");
    for (StackImport stack : imports) {
      args.add(stack.reference());
      args.add(stack.layout());
      args.add(stack.imageId());
    }
    args.add("--");
    args.addAll(bud.arguments());
    return args;
  }
}
