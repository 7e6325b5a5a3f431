package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tenant's warm builders: a builder container started on a build of the tenant and kept
 * running, idle, for the tenant's next build, which then runs in it with {@code podman exec} over
 * the builder's control socket ({@link BuilderSocket}) instead of paying a container's start and
 * removal. A warm builder has its tenant's uid map, store, cache and limits (the very {@link
 * SandboxRun#containerOptions()} a build of its own would have), serves one build at a time (so the
 * container's memory, pids and CPU limits are that build's), is never lent to another tenant, and
 * is removed when a build in it does not succeed (failed, stopped, timed out: nothing of it is left
 * for the next), when it has been idle for {@code slipway.build.sandbox.warm-idle}, when its tenant
 * is deleted, and when build-service stops; builders a dead build-service left are removed when the
 * next one starts.
 */
final class WarmBuilders {

  private static final Logger log = LoggerFactory.getLogger(WarmBuilders.class);
  private static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(60);
  private static final CommandRunner RUNNER = new CommandRunner();

  private record Idle(String name, String tenant, List<String> options, Instant since) {}

  private final Duration idle;
  private final String sandbox;
  private Path controls;
  private final String owner = Long.toString(ProcessHandle.current().pid());
  private final String prefix;
  private final AtomicLong started = new AtomicLong();
  private final List<Idle> idleBuilders = new ArrayList<>();

  /**
   * @param idle how long a builder waits for its tenant's next build; zero: every build in a
   *     container of its own
   * @param sandbox the sandbox directory, which labels the builders this service starts
   * @param sandboxed whether builds run in the sandbox at all
   */
  WarmBuilders(Duration idle, String sandbox, boolean sandboxed) {
    this.idle = sandboxed ? idle : Duration.ZERO;
    this.sandbox = sandbox;
    this.prefix =
        "slipway-builder-"
            + Integer.toHexString(sandbox.hashCode())
            + "-"
            + owner
            + "-"
            + Long.toString(System.nanoTime() % 100_000, 36)
            + "-";
    if (sandboxed) {
      removeLeftOvers();
    }
  }

  boolean enabled() {
    return !idle.isZero();
  }

  /**
   * A container for one build of {@code tenant}: the tenant's idle warm builder with the same
   * options, or one started now; a container of its own when warm builders are off.
   */
  SandboxLease lease(String tenant, SandboxRun run) throws IOException, InterruptedException {
    if (!enabled()) {
      return new SandboxLease(run, tenant, null);
    }
    List<String> options = run.containerOptions();
    List<String> stale = new ArrayList<>();
    Idle found = null;
    synchronized (idleBuilders) {
      for (Iterator<Idle> it = idleBuilders.iterator(); it.hasNext(); ) {
        Idle builder = it.next();
        if (builder.tenant().equals(tenant)) {
          it.remove();
          if (found == null && builder.options().equals(options)) {
            found = builder;
          } else {
            // a tenant keeps one idle builder; one with another limit or image store than this
            // build's is never lent with the wrong ones
            stale.add(builder.name());
          }
        }
      }
    }
    remove(stale);
    if (found != null) {
      return new SandboxLease(run.in(found.name()), tenant, socket(found.name()));
    }
    SandboxRun own = run.in(prefix + started.incrementAndGet());
    try {
      start(own, tenant);
    } catch (IOException e) {
      remove(List.of(own.name()));
      throw new BuildSandbox.SandboxStepFailedException(
          "the build sandbox could not be started, so the build did not run; " + BuildSandbox.RETRY,
          e);
    }
    return new SandboxLease(own, tenant, socket(own.name()));
  }

  /** The control socket of the builder of that name, on the host. */
  Path socket(String builder) {
    return control(builder).resolve(BuilderSocket.NAME);
  }

  /**
   * A builder's control directory: {@code <n>} in a directory of this service's own under the
   * system's temporary directory, which keeps the socket's path far below the 107 bytes a unix
   * socket's address may have (a sandbox directory can be long).
   */
  private Path control(String builder) {
    return controls().resolve(builder.substring(prefix.length()));
  }

  private synchronized Path controls() {
    if (controls == null) {
      try {
        controls =
            Files.createTempDirectory(
                "slipway-builders-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return controls;
  }

  /**
   * Starts a warm builder. podman runs in the tenant's own {@code builder} directory, as the
   * builder's conmon then does for as long as it runs: what conmon leaves in its working directory
   * (a file {@code oom} when a build runs out of memory) stays with the tenant, not in the
   * service's. Its control directory is its own, new, and the tenant's root's alone.
   */
  private void start(SandboxRun builder, String tenant) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(builder.workspace().getParent().resolve("builder"));
    Path control = Files.createDirectory(control(builder.name()));
    Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(control, "unix:uid", (int) builder.uidBase(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(control, "unix:gid", (int) builder.uidBase(), LinkOption.NOFOLLOW_LINKS);
    StringBuilder out = new StringBuilder();
    CommandRunner.Outcome outcome =
        RUNNER.run(
            builder.startArguments(sandbox, tenant, owner, control),
            PODMAN_TIMEOUT,
            line -> out.append(line).append('\n'),
            () -> false,
            dir.resolve("builder-start.log"));
    if (!outcome.succeeded()) {
      throw new IOException("podman run of the builder failed: " + out.toString().trim());
    }
  }

  /**
   * Ends a build's lease: the warm builder waits for its tenant's next build if the build
   * succeeded, and is removed otherwise (whatever a failed, stopped or timed-out build left in it
   * goes with it). A container of the build's own is removed if it is still there.
   */
  void release(SandboxLease lease, boolean succeeded) {
    if (lease.warm() && succeeded) {
      synchronized (idleBuilders) {
        idleBuilders.add(
            new Idle(
                lease.run().name(), lease.tenant(), lease.run().containerOptions(), Instant.now()));
      }
      return;
    }
    if (!succeeded) {
      remove(List.of(lease.run().name()));
    }
  }

  /** Removes the builders idle for longer than the setting. */
  void stopIdle() {
    if (enabled()) {
      stopIdle(idle);
    }
  }

  /** Removes the builders idle for {@code longerThan} or more. */
  void stopIdle(Duration longerThan) {
    Instant before = Instant.now().minus(longerThan);
    List<String> names = new ArrayList<>();
    synchronized (idleBuilders) {
      for (Iterator<Idle> it = idleBuilders.iterator(); it.hasNext(); ) {
        Idle builder = it.next();
        if (!builder.since().isAfter(before)) {
          it.remove();
          names.add(builder.name());
        }
      }
    }
    remove(names);
  }

  /** Removes every builder of the tenant, idle or in use (a build in it then fails). */
  void removeTenant(String tenant) throws IOException, InterruptedException {
    synchronized (idleBuilders) {
      idleBuilders.removeIf(builder -> builder.tenant().equals(tenant));
    }
    remove(
        lines(
            RUNNER.output(
                List.of(
                    "podman",
                    "ps",
                    "--all",
                    "--quiet",
                    "--filter=label=" + SandboxRun.SANDBOX_LABEL + "=" + sandbox,
                    "--filter=label=" + SandboxRun.TENANT_LABEL + "=" + tenant),
                PODMAN_TIMEOUT)));
  }

  /** The names of the tenant's idle builders. */
  List<String> idleOf(String tenant) {
    synchronized (idleBuilders) {
      return idleBuilders.stream()
          .filter(builder -> builder.tenant().equals(tenant))
          .map(Idle::name)
          .toList();
    }
  }

  void removeAll() {
    List<String> names;
    synchronized (idleBuilders) {
      names = idleBuilders.stream().map(Idle::name).toList();
      idleBuilders.clear();
    }
    remove(names);
    synchronized (this) {
      if (controls != null) {
        try {
          // gone once every builder it served is (a build still running keeps its own); a build
          // after this (the service goes on) makes a new one
          Files.deleteIfExists(controls);
          controls = null;
        } catch (IOException e) {
          // not empty
        }
      }
    }
  }

  /**
   * Removes the builders of this sandbox directory that a build-service no longer running started
   * (one killed mid-build leaves its builders running); those of a live one (another application
   * context in this JVM) stay.
   */
  private void removeLeftOvers() {
    try {
      List<String> left = new ArrayList<>();
      for (String line :
          lines(
              RUNNER.output(
                  List.of(
                      "podman",
                      "ps",
                      "--all",
                      "--filter=label=" + SandboxRun.SANDBOX_LABEL + "=" + sandbox,
                      "--format={{.Names}} {{index .Labels \"" + SandboxRun.OWNER_LABEL + "\"}}"),
                  PODMAN_TIMEOUT))) {
        String[] fields = line.split(" ");
        boolean alive =
            fields.length == 2
                && fields[1].matches("[0-9]{1,19}")
                && ProcessHandle.of(Long.parseLong(fields[1])).isPresent();
        if (!alive) {
          left.add(fields[0]);
        }
      }
      if (!left.isEmpty()) {
        log.warn("Removing {} warm builder(s) left by a build-service that stopped", left.size());
        remove(left);
      }
    } catch (IOException e) {
      log.warn("Could not look for warm builders left behind: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> lines(String output) {
    return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  private void remove(List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    List<String> command =
        new ArrayList<>(List.of("podman", "rm", "--force", "--ignore", "--time=0"));
    command.addAll(names);
    try {
      RUNNER.output(command, PODMAN_TIMEOUT);
      // only this service's builders have a control directory it made
      List<String> dirs =
          names.stream()
              .filter(name -> name.startsWith(prefix))
              .map(name -> control(name).toString())
              .toList();
      if (!dirs.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("rm", "-rf", "--one-file-system", "--"));
        rm.addAll(dirs);
        RUNNER.output(rm, PODMAN_TIMEOUT);
      }
    } catch (IOException e) {
      log.warn("Could not remove builder(s) {}: {}", names, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
