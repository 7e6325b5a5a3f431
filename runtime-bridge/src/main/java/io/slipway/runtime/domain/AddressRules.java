package io.slipway.runtime.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;

/**
 * Which addresses the HTTP check may connect to: never a link-local one (cloud metadata services
 * live there), and no loopback, private, shared (100.64/10), unique-local or multicast one unless
 * it is one of the router's own addresses. Otherwise a claim could make the platform fetch from its
 * own internals.
 */
final class AddressRules {

  private final Set<InetAddress> router;

  AddressRules(Set<InetAddress> router) {
    this.router = Set.copyOf(router);
  }

  boolean allowed(InetAddress address) {
    InetAddress plain = unmapped(address);
    if (plain.isLinkLocalAddress()) {
      return false;
    }
    if (router.contains(plain)) {
      return true;
    }
    return !(plain.isLoopbackAddress()
        || plain.isAnyLocalAddress()
        || plain.isSiteLocalAddress()
        || plain.isMulticastAddress()
        || sharedOrUniqueLocal(plain));
  }

  private static boolean sharedOrUniqueLocal(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      // 100.64.0.0/10 (carrier-grade NAT), 0.0.0.0/8, 192.0.0.0/24
      return (first == 100 && second >= 64 && second < 128)
          || first == 0
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0);
    }
    return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc; // fc00::/7
  }

  /** An IPv4-mapped IPv6 address judged as the IPv4 address it is. */
  private static InetAddress unmapped(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 16) {
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (java.net.UnknownHostException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
    }
    return address;
  }
}
