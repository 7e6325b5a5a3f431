package io.slipway.runtime.podman;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A project network as the host sees it: the bridge interface its containers' traffic enters the
 * host through, the bridge's own addresses (the containers' gateways) and whether podman serves DNS
 * on them (netavark's aardvark-dns does; CNI without the dnsname plugin does not).
 *
 * @param interfaceName the host's bridge interface ({@code cni-podman3} with CNI, {@code podman3}
 *     with netavark)
 * @param gateways the bridge's addresses, one per subnet
 * @param dns whether the containers resolve names through podman's DNS server on the gateways
 */
public record ProjectBridge(String interfaceName, List<String> gateways, boolean dns) {

  /** What the kernel allows in an interface name, and nothing that could leave a quoted string. */
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]{0,14}");

  /** An IPv4 or IPv6 address, in the characters those are written with. */
  private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F.:]{2,45}");

  public ProjectBridge {
    Objects.requireNonNull(interfaceName, "interfaceName");
    if (!INTERFACE.matcher(interfaceName).matches()) {
      throw new IllegalArgumentException("not an interface name: " + interfaceName);
    }
    gateways = List.copyOf(gateways);
    for (String gateway : gateways) {
      if (!ADDRESS.matcher(gateway).matches()) {
        throw new IllegalArgumentException("not an address: " + gateway);
      }
    }
  }

  boolean ipv6(String gateway) {
    return gateway.contains(":");
  }
}
