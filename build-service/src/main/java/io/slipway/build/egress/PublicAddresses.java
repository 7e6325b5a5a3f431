package io.slipway.build.egress;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The addresses build-service itself may call when a user names the server (a forge's API URL for
 * commit status): what a build's egress may reach with an empty allow-list, so never loopback,
 * link-local, private or unique-local, multicast or unspecified addresses, the host's own addresses
 * or its container networks. Callers keep an allow-list of their own, by host, in front of it.
 */
public final class PublicAddresses {

  private final EgressPolicy policy;

  /**
   * @param allowList the setting that opens a refused host, named in refusals
   */
  public PublicAddresses(String allowList) {
    HostNetworks host = new HostNetworks();
    this.policy = new EgressPolicy(List.of(), host::addresses, host::networks, allowList);
  }

  /** Why the address may not be called, e.g. "is the host's loopback"; empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    return policy.refusal(address);
  }
}
