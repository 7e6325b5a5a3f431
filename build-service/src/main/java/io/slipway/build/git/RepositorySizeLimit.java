package io.slipway.build.git;

import io.slipway.build.usage.DiskUsage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.OptionalLong;
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
 * The per-repository size limit: a push after which the repository (all its files on disk, the
 * received pack included) would be larger than the project's {@code storageMib} quota is refused,
 * every ref with the sizes in the reason. The received pack is then unreachable; once JGit has
 * released it, a prune removes it, so a refused push does not eat into the next one's room.
 */
final class RepositorySizeLimit implements PreReceiveHook {

  private static final Logger log = LoggerFactory.getLogger(RepositorySizeLimit.class);
  private static final long MIB = 1024 * 1024;

  private final Supplier<OptionalLong> storageMib;

  /**
   * @param storageMib the quota in force, asked once per push; empty when it cannot be known
   */
  RepositorySizeLimit(Supplier<OptionalLong> storageMib) {
    this.storageMib = storageMib;
  }

  @Override
  public void onPreReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    if (commands.stream().noneMatch(c -> c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED)) {
      return;
    }
    OptionalLong limit;
    try {
      limit = storageMib.get();
    } catch (RuntimeException e) {
      log.warn("Could not read the storage quota: {}", e.toString());
      reject(commands, "the storage quota cannot be checked right now; push again later");
      return;
    }
    if (limit.isEmpty()) {
      return;
    }
    Repository repository = pack.getRepository();
    long size = sizeOf(repository.getDirectory().toPath());
    if (size > limit.getAsLong() * MIB) {
      reject(
          commands,
          String.format(
              "the repository would be %.1f MiB, over the project's storage quota of %d MiB"
                  + " (storageMib)",
              size / (double) MIB, limit.getAsLong()));
      Thread.ofVirtual().name("prune-refused-push").start(() -> prune(repository));
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
