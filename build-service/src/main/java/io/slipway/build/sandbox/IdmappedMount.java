package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A read-only view of a host directory in which files owned by host uid (and gid) {@code n} appear
 * owned by {@code base + n}: the kernel's idmapped bind mount ({@code mount_setattr} with {@code
 * MOUNT_ATTR_IDMAP}, Linux 5.12+). A tenant's sandbox maps its root to host uid {@code base}, so
 * through this view the platform's image store, written once by host root, is root's own inside
 * every tenant's sandbox, without a copy per tenant and without any tenant being able to write it.
 *
 * <p>Neither podman 4.3 with runc 1.1 nor util-linux 2.38 (Debian 12) can make such a mount, and
 * Java 21 cannot make system calls, so the three calls of the new mount API are made by perl
 * ({@code perl-base} is essential on Debian: every host has it). The mapping is taken from a user
 * namespace made for the purpose ({@code unshare --user}, whose maps host root writes), released
 * once the mount holds it. Needs root on the host, as the sandbox's loop-mounted stores do.
 */
final class IdmappedMount {

  /**
   * open_tree (428, a detached copy of the source's mount), mount_setattr (442: idmapped from the
   * namespace's maps, read-only, nosuid, nodev), move_mount (429, onto the target). The new mount
   * API's numbers are the same on every architecture.
   */
  private static final String SCRIPT =
      """
      use strict; use warnings;
      my ($source, $target, $ns) = @ARGV; my $empty = '';
      open(my $userns, '<', $ns) or die "open $ns: $!\\n";
      my $tree = syscall(428, -100, $source, 1 | 02000000);
      die "open_tree $source: $!\\n" if $tree < 0;
      my $attr = pack('QQQQ', 0x100000 | 0x1 | 0x2 | 0x4, 0, 0, fileno($userns));
      syscall(442, $tree, $empty, 0x1000, $attr, length($attr)) == 0
        or die "mount_setattr $source: $!\\n";
      syscall(429, $tree, $empty, -100, $target, 0x4) == 0 or die "move_mount $target: $!\\n";
      """;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final CommandRunner RUNNER = new CommandRunner();

  private IdmappedMount() {}

  /**
   * Mounts {@code source} at {@code target} (an existing directory) read-only, nosuid and nodev,
   * host ids {@code 0..count-1} shown as {@code base..base+count-1}. Submounts of {@code source}
   * are not carried over.
   */
  static void mount(Path source, Path target, long base, long count)
      throws IOException, InterruptedException {
    Process namespace = new ProcessBuilder("unshare", "--user", "--", "sleep", "60").start();
    try {
      Path ns = awaitOwnNamespace(namespace);
      String map = "0 " + base + " " + count + "\n";
      Path proc = ns.getParent().getParent();
      Files.writeString(proc.resolve("uid_map"), map);
      Files.writeString(proc.resolve("setgroups"), "deny");
      Files.writeString(proc.resolve("gid_map"), map);
      RUNNER.output(
          List.of("perl", "-e", SCRIPT, source.toString(), target.toString(), ns.toString()),
          TIMEOUT);
    } finally {
      namespace.destroyForcibly();
      namespace.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** The namespace file of {@code process} once it runs in a user namespace of its own. */
  private static Path awaitOwnNamespace(Process process) throws IOException, InterruptedException {
    Path own = Path.of("/proc/self/ns/user");
    Path theirs = Path.of("/proc", Long.toString(process.pid()), "ns", "user");
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            "unshare --user exited with "
                + process.exitValue()
                + ": "
                + new String(process.getErrorStream().readAllBytes()).strip());
      }
      if (!Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(own))) {
        return theirs;
      }
      Thread.sleep(2);
    }
    throw new IOException("unshare --user made no user namespace in " + TIMEOUT);
  }
}
