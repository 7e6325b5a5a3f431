package io.slipway.build.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which addresses a build's egress may connect to. Never: the host's loopback, link-local
 * addresses, the host's own interface addresses, the platform's container networks (every podman
 * network's subnet: tenants' and projects' networks and the platform's own) and anything that is
 * not one unicast host. Private ranges (RFC 1918, CGNAT 100.64/10, unique-local fc00::/7 and a few
 * special-purpose ranges) are refused unless an operator's allow-list holds the address; the
 * allow-list is checked after the never-list, so it cannot open what that refuses. IPv6 addresses
 * that embed an IPv4 one (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address too.
 */
final class EgressPolicy {

  private static final List<Cidr> LINK_LOCAL = cidrs("169.254.0.0/16", "fe80::/10");
  private static final List<Cidr> NOT_A_HOST =
      cidrs("0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "ff00::/8", "::/128");
  private static final List<Cidr> PRIVATE =
      cidrs(
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "100.64.0.0/10",
          "192.0.0.0/24",
          "198.18.0.0/15",
          "fc00::/7",
          "fec0::/10");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final List<Cidr> allowed;
  private final Supplier<Set<InetAddress>> hostAddresses;
  private final Supplier<List<Cidr>> platformNetworks;
  private final String allowList;

  /**
   * @param allowed the operator's allow-list of private ranges
   * @param hostAddresses the host's own interface addresses, asked at each check
   * @param platformNetworks the subnets of the host's container networks, asked at each check
   */
  EgressPolicy(
      List<Cidr> allowed,
      Supplier<Set<InetAddress>> hostAddresses,
      Supplier<List<Cidr>> platformNetworks) {
    this(allowed, hostAddresses, platformNetworks, "the platform's build egress allow-list");
  }

  /** As the other constructor; {@code allowList} names the allow-list in a refusal. */
  EgressPolicy(
      List<Cidr> allowed,
      Supplier<Set<InetAddress>> hostAddresses,
      Supplier<List<Cidr>> platformNetworks,
      String allowList) {
    this.allowed = List.copyOf(allowed);
    this.hostAddresses = hostAddresses;
    this.platformNetworks = platformNetworks;
    this.allowList = allowList;
  }

  /** Why a build may not connect to this address, in words for its log; empty when it may. */
  Optional<String> refusal(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return Optional.of("is the host's loopback");
    }
    Optional<Inet4Address> embedded = embeddedIpv4(address);
    if (embedded.isPresent()) {
      Optional<String> inner = refusal(embedded.get());
      if (inner.isPresent()) {
        return inner;
      }
    }
    if (in(LINK_LOCAL, address)) {
      return Optional.of("is a link-local address");
    }
    if (in(NOT_A_HOST, address) || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return Optional.of("is not a single host's address");
    }
    if (isHostAddress(address)) {
      return Optional.of("is one of the host's own addresses");
    }
    if (in(platformNetworks.get(), address)) {
      return Optional.of("is on one of the platform's container networks");
    }
    if (in(PRIVATE, address) && !in(allowed, address)) {
      return Optional.of("is a private address, not on " + allowList);
    }
    return Optional.empty();
  }

  private boolean isHostAddress(InetAddress address) {
    byte[] bytes = address.getAddress();
    // compared without the IPv6 scope: fe80::1%eth0 and fe80::1 are one address to a connect
    return hostAddresses.get().stream().anyMatch(own -> Arrays.equals(own.getAddress(), bytes));
  }

  private static boolean in(List<Cidr> ranges, InetAddress address) {
    return ranges.stream().anyMatch(range -> range.contains(address));
  }

  /** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64 or 6to4), if any. */
  static Optional<Inet4Address> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    byte[] v4;
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= bytes[i] == 0;
    }
    mapped &= bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    if (mapped || COMPATIBLE.contains(address) || NAT64.contains(address)) {
      v4 = Arrays.copyOfRange(bytes, 12, 16);
    } else if (SIX_TO_FOUR.contains(address)) {
      v4 = Arrays.copyOfRange(bytes, 2, 6);
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Cidr> cidrs(String... ranges) {
    return Arrays.stream(ranges).map(Cidr::parse).toList();
  }
}
