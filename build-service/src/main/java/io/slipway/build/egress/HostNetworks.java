package io.slipway.build.egress;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the host itself is on the network: its interfaces' addresses and the subnets of its podman
 * networks (tenants' and projects' networks, the platform's own). Both are read again after {@link
 * #FRESH}, so a network made since is refused within seconds; a failure to read them refuses every
 * connection rather than allow one unchecked.
 */
final class HostNetworks {

  static final Duration FRESH = Duration.ofSeconds(5);
  private static final CommandRunner RUNNER = new CommandRunner();

  private record Seen(long at, Set<InetAddress> addresses, List<Cidr> networks) {}

  private volatile Seen seen;

  Set<InetAddress> addresses() {
    return current().addresses();
  }

  List<Cidr> networks() {
    return current().networks();
  }

  private Seen current() {
    Seen last = seen;
    if (last != null && System.nanoTime() - last.at() < FRESH.toNanos()) {
      return last;
    }
    synchronized (this) {
      if (seen == last) {
        seen = new Seen(System.nanoTime(), interfaceAddresses(), podmanSubnets());
      }
      return seen;
    }
  }

  private static Set<InetAddress> interfaceAddresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .flatMap(NetworkInterface::inetAddresses)
          .collect(Collectors.toUnmodifiableSet());
    } catch (SocketException e) {
      throw new UncheckedIOException("the host's interface addresses could not be read", e);
    }
  }

  private static List<Cidr> podmanSubnets() {
    try {
      String out =
          RUNNER.output(
              List.of(
                  "podman", "network", "ls", "--format", "{{range .Subnets}}{{.Subnet}} {{end}}"),
              Duration.ofSeconds(30));
      return Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("the host's podman networks could not be listed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the host's podman networks", e);
    }
  }
}
