package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Empties the build stores no build opened for a while ({@code slipway.build.cache-retention}):
 * their image store, {@code RUN --mount=type=cache} cache and temporary files, which a tenant's
 * next build makes again from nothing. The store's file system and its {@code store.img} stay (the
 * freed blocks go back to the host's disk: it is mounted with {@code discard}).
 *
 * <p>Safe to kill and to run on several instances at once: under a lock on the tenant's row (one
 * instance at a time, and a build that starts meanwhile waits for it) the store's directories are
 * renamed into {@code .expired/} at the store's root, which no sandbox mounts; they are removed
 * after the lock is let go. A store is thus whole or empty for every build; what a killed pass left
 * in {@code .expired/} is removed by the next pass, whatever its tenant. A tenant with a container
 * of its sandbox (a warm builder, idle or busy, of any instance) is left for a later pass: that
 * container has the store mounted.
 */
@Component
public class StaleStores {

  private static final Logger log = LoggerFactory.getLogger(StaleStores.class);
  private static final CommandRunner RUNNER = new CommandRunner();
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** Where a store's directories are moved before they are removed. */
  static final String EXPIRED = ".expired";

  private static final List<String> CONTENTS = List.of("storage", "cache", "tmp");

  private final BuildSandbox sandbox;
  private final SandboxTenants tenants;
  private final TransactionTemplate transactions;

  StaleStores(BuildSandbox sandbox, SandboxTenants tenants, TransactionTemplate transactions) {
    this.sandbox = sandbox;
    this.tenants = tenants;
    this.transactions = transactions;
  }

  /**
   * Empties the store of every tenant whose store no build opened since {@code before}, and removes
   * what an earlier pass moved aside. Idempotent: a store emptied before has nothing to move.
   *
   * @return the ids of the tenants whose store was emptied now
   */
  public List<String> empty(Instant before) throws InterruptedException {
    if (!sandbox.enabled()) {
      return List.of();
    }
    removeLeftOvers();
    List<String> emptied = new ArrayList<>();
    for (Map.Entry<String, Long> tenant : tenants.unusedSince(before).entrySet()) {
      Path home = sandbox.tenantHome(tenant.getValue());
      try {
        if (moveAside(tenant.getKey(), home, before)) {
          emptied.add(tenant.getKey());
        }
        removeExpired(sandbox.stores().of(home).mountPoint());
      } catch (IOException | RuntimeException e) {
        log.warn("Could not empty the build store in {}: {}", home, e.toString());
      }
    }
    if (!emptied.isEmpty()) {
      log.info("Emptied {} build stores no build used since {}", emptied.size(), before);
    }
    return emptied;
  }

  /**
   * Moves the tenant's store's directories into {@code .expired/<random>/}, holding the tenant's
   * row locked: whether there was anything to move.
   */
  private boolean moveAside(String tenant, Path home, Instant before)
      throws IOException, InterruptedException {
    if (!Files.exists(sandbox.stores().of(home).image(), LinkOption.NOFOLLOW_LINKS)
        || emptied(home)
        || hasContainers(tenant)) {
      return false;
    }
    Boolean moved =
        transactions.execute(
            status -> {
              if (!tenants.lockUnused(tenant, before)) {
                // used meanwhile, or another instance is at it
                return false;
              }
              try {
                Path store = sandbox.stores().open(home);
                Path aside = store.resolve(EXPIRED).resolve(UUID.randomUUID().toString());
                boolean any = false;
                for (String dir : CONTENTS) {
                  Path path = store.resolve(dir);
                  if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(aside);
                    Files.move(path, aside.resolve(dir), StandardCopyOption.ATOMIC_MOVE);
                    any = true;
                  }
                }
                return any;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
    return Boolean.TRUE.equals(moved);
  }

  /**
   * Whether the store is mounted and holds none of its directories: emptied by an earlier pass and
   * not used since (no need to ask podman about it every pass).
   */
  private boolean emptied(Path home) throws IOException {
    Path store = sandbox.stores().of(home).mountPoint();
    return sandbox.stores().usedMib(home).isPresent()
        && CONTENTS.stream()
            .noneMatch(dir -> Files.exists(store.resolve(dir), LinkOption.NOFOLLOW_LINKS));
  }

  /** Whether a container of the tenant's sandbox exists (any instance's, running or not). */
  private boolean hasContainers(String tenant) throws IOException, InterruptedException {
    return !RUNNER
        .output(
            List.of(
                "podman",
                "ps",
                "--all",
                "--quiet",
                "--filter=label=" + SandboxRun.SANDBOX_LABEL + "=" + sandbox.label(),
                "--filter=label=" + SandboxRun.TENANT_LABEL + "=" + tenant),
            TIMEOUT)
        .isBlank();
  }

  /** Removes what passes moved aside in every mounted store (one killed half-way left it). */
  private void removeLeftOvers() throws InterruptedException {
    List<Path> homes;
    try (Stream<Path> listed = Files.list(sandbox.tenantsDir())) {
      homes = listed.toList();
    } catch (IOException e) {
      return; // no tenant has built yet
    }
    for (Path home : homes) {
      try {
        removeExpired(sandbox.stores().of(home).mountPoint());
      } catch (IOException e) {
        log.warn("Could not remove the expired build cache in {}: {}", home, e.getMessage());
      }
    }
  }

  /**
   * Removes {@code .expired/} of a store: with rm, which neither follows the tenant's links nor
   * leaves the store's file system.
   */
  private static void removeExpired(Path store) throws IOException, InterruptedException {
    Path expired = store.resolve(EXPIRED);
    if (Files.exists(expired, LinkOption.NOFOLLOW_LINKS)) {
      RUNNER.output(List.of("rm", "-rf", "--one-file-system", "--", expired.toString()), TIMEOUT);
    }
  }
}
