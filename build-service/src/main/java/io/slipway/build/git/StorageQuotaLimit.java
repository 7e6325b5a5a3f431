package io.slipway.build.git;

import io.slipway.build.tenant.TenantClient.StorageStanding;
import io.slipway.build.usage.DiskUsage;
import io.slipway.build.usage.StorageUsage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage quotas, checked before anything is built: a push is refused, every ref with the
 * figures in the reason, when the project's repositories (all their files on disk, the received
 * pack included) and what the project has reserved would be larger than the project's {@code
 * storageMib} in force, or when the tenant's whole storage (what tenant-service's ledger holds:
 * repositories, images, build stores, volumes, …) with the received pack added would exceed the
 * tenant's {@code storageMib}. The received pack is then unreachable; once JGit has released it, a
 * prune removes it, so a refused push does not eat into the next one's room.
 */
final class StorageQuotaLimit implements PreReceiveHook {

  private static final Logger log = LoggerFactory.getLogger(StorageQuotaLimit.class);
  private static final long MIB = 1024 * 1024;

  /** How the measured parts are named to the pusher (tenant-service's keys otherwise). */
  private static final Map<String, String> PARTS =
      Map.of(
          StorageUsage.GIT, "git repositories",
          StorageUsage.IMAGES, "images",
          StorageUsage.BUILD_STORE, "build cache");

  private final Supplier<Optional<StorageStanding>> standing;

  /**
   * @param standing the quotas in force and the tenant's usage, asked once per push; empty when the
   *     project is unknown
   */
  StorageQuotaLimit(Supplier<Optional<StorageStanding>> standing) {
    this.standing = standing;
  }

  @Override
  public void onPreReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    if (commands.stream().noneMatch(c -> c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED)) {
      return;
    }
    Optional<StorageStanding> found;
    try {
      found = standing.get();
    } catch (RuntimeException e) {
      log.warn("Could not read the storage quota: {}", e.toString());
      reject(commands, "the storage quota cannot be checked right now; push again later");
      return;
    }
    if (found.isEmpty()) {
      return;
    }
    Repository repository = pack.getRepository();
    Path dir = repository.getDirectory().toPath();
    Optional<String> refusal =
        refusal(found.get(), sizeOf(dir), projectSizeOf(dir.getParent()), receivedBytes(pack));
    if (refusal.isPresent()) {
      reject(commands, refusal.get());
      Thread.ofVirtual().name("prune-refused-push").start(() -> prune(repository));
    }
  }

  /**
   * Why a push is refused, if it is: the project's limit against the repository's size, then the
   * tenant's against its usage grown by the received pack.
   *
   * @param repositoryBytes the repository's size with the received pack
   * @param projectRepositoriesBytes the size of all the project's repositories, this one with the
   *     received pack
   * @param receivedBytes the received pack's size (what the push adds to the tenant's usage)
   */
  static Optional<String> refusal(
      StorageStanding standing,
      long repositoryBytes,
      long projectRepositoriesBytes,
      long receivedBytes) {
    Long project = standing.projectLimitMib();
    long projectBytes =
        Math.max(repositoryBytes, projectRepositoriesBytes) + standing.projectUsedMib() * MIB;
    if (project != null && projectBytes > project * MIB) {
      return Optional.of(
          projectBytes == repositoryBytes
              ? String.format(
                  "the repository would be %.1f MiB, over the project's storage quota of %d MiB"
                      + " (storageMib)",
                  repositoryBytes / (double) MIB, project)
              : String.format(
                  "the project's storage would be %.1f MiB (this repository %.1f MiB), over its"
                      + " storage quota of %d MiB (storageMib): delete apps of the project it no"
                      + " longer needs, or ask a tenant admin for more",
                  projectBytes / (double) MIB, repositoryBytes / (double) MIB, project));
    }
    Long tenant = standing.tenantLimitMib();
    long wouldBe = standing.tenantUsedMib() * MIB + receivedBytes;
    if (tenant != null && wouldBe > tenant * MIB) {
      return Optional.of(
          String.format(
              "the tenant's storage would be %.1f MiB, over its storage quota of %d MiB"
                  + " (storageMib); it holds %s: delete apps or projects it no longer needs"
                  + " (their repositories, images and build cache go with them), or ask a"
                  + " platform admin for more",
              wouldBe / (double) MIB, tenant, parts(standing)));
    }
    return Optional.empty();
  }

  /**
   * The tenant's storage by part, largest first, as {@code images 6 MiB, git repositories 3 MiB}.
   */
  private static String parts(StorageStanding standing) {
    List<Map.Entry<String, Long>> parts = new ArrayList<>();
    long measured = 0;
    for (Map.Entry<String, Long> part : standing.measured().entrySet()) {
      if (part.getValue() > 0) {
        parts.add(Map.entry(PARTS.getOrDefault(part.getKey(), part.getKey()), part.getValue()));
      }
      measured += part.getValue();
    }
    if (standing.tenantUsedMib() > measured) {
      parts.add(Map.entry("reserved", standing.tenantUsedMib() - measured));
    }
    parts.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    return parts.isEmpty()
        ? "nothing measured yet"
        : String.join(
            ", ",
            parts.stream().map(part -> part.getKey() + " " + part.getValue() + " MiB").toList());
  }

  /** The size of the project's repositories (the project's directory); 0 when unreadable. */
  private static long projectSizeOf(Path projectDir) {
    try {
      return DiskUsage.projectRepositories(projectDir);
    } catch (IOException e) {
      log.warn("Could not measure {}: {}", projectDir, e.toString());
      return 0;
    }
  }

  /** The size of the pack this push sent; 0 when it sent none (a delete, a known commit). */
  private static long receivedBytes(ReceivePack pack) {
    try {
      return pack.getPackSize();
    } catch (IllegalStateException e) {
      return 0;
    }
  }

  private static void reject(Collection<ReceiveCommand> commands, String reason) {
    commands.stream()
        .filter(c -> c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED)
        .forEach(c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason));
  }

  /**
   * The repository's size as the tenant's storage usage counts it ({@link DiskUsage}: as {@code du
   * -sb} does); files removed while walking (by a GC) count 0.
   */
  static long sizeOf(Path dir) {
    try {
      return DiskUsage.bytes(dir);
    } catch (IOException e) {
      log.warn("Could not measure {}: {}", dir, e.toString());
      return 0;
    }
  }

  /** Waits until JGit unlocks the received pack ({@code .keep}), then drops unreachable objects. */
  private static void prune(Repository repository) {
    File packs = new File(repository.getDirectory(), "objects/pack");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    try {
      while (hasKeep(packs) && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      if (repository instanceof FileRepository file) {
        GC gc = new GC(file);
        Date now = new Date();
        gc.setExpire(now);
        gc.setPackExpire(now);
        gc.gc().get();
        // the repack leaves the refused objects loose, dated now: prune those too
        Thread.sleep(10);
        gc.setExpire(new Date());
        gc.prune(Set.of());
      }
    } catch (Exception e) {
      log.warn("Could not prune a refused push from {}: {}", repository, e.toString());
    }
  }

  private static boolean hasKeep(File packs) {
    String[] names = packs.list((dir, name) -> name.endsWith(".keep"));
    return names != null && names.length > 0;
  }
}
