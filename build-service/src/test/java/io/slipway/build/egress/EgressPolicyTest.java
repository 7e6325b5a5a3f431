package io.slipway.build.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {

  private static final String HOST_ADDRESS = "203.0.113.7";
  private static final String HOST_V6 = "2001:db8::7";

  /** A host with one public IPv4 and one IPv6 address, and one container network. */
  private static EgressPolicy policy(String... allowed) {
    return new EgressPolicy(
        List.of(allowed).stream().map(Cidr::parse).toList(),
        () -> Set.of(address(HOST_ADDRESS), address(HOST_V6), address("10.89.0.1")),
        () -> List.of(Cidr.parse("10.89.0.0/24"), Cidr.parse("fd00:89::/64")));
  }

  @Test
  void publicAddressesAreAllowed() {
    assertThat(refusal(policy(), "93.184.215.14")).isEmpty();
    assertThat(refusal(policy(), "2606:4700::6810:1b22")).isEmpty();
    assertThat(refusal(policy(), "8.8.8.8")).isEmpty();
  }

  @Test
  void loopbackIsAlwaysRefusedInEveryForm() {
    for (String loopback :
        List.of(
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::1")) {
      assertThat(refusal(policy("127.0.0.0/8", "::/0", "0.0.0.0/0"), loopback))
          .as(loopback)
          .contains("is the host's loopback");
    }
  }

  @Test
  void linkLocalIsAlwaysRefused() {
    assertThat(refusal(policy("169.254.0.0/16"), "169.254.169.254"))
        .contains("is a link-local address");
    assertThat(refusal(policy("fe80::/10"), "fe80::1")).contains("is a link-local address");
    assertThat(refusal(policy(), "::ffff:169.254.169.254")).contains("is a link-local address");
  }

  @Test
  void theHostsOwnAddressesAndContainerNetworksAreAlwaysRefused() {
    assertThat(refusal(policy("203.0.113.0/24"), HOST_ADDRESS))
        .contains("is one of the host's own addresses");
    assertThat(refusal(policy(), "::ffff:" + HOST_ADDRESS))
        .contains("is one of the host's own addresses");
    assertThat(refusal(policy(), HOST_V6)).contains("is one of the host's own addresses");
    // a container network on the allow-list stays closed; its neighbour does not
    assertThat(refusal(policy("10.0.0.0/8"), "10.89.0.5"))
        .contains("is on one of the platform's container networks");
    assertThat(refusal(policy("fd00::/8"), "fd00:89::5"))
        .contains("is on one of the platform's container networks");
    assertThat(refusal(policy("10.0.0.0/8"), "10.90.0.5")).isEmpty();
  }

  @Test
  void privateRangesAreRefusedUnlessAllowListed() {
    for (String address :
        List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "fd12::1", "fc00::1")) {
      assertThat(refusal(policy(), address))
          .as(address)
          .contains("is a private address, not on the platform's build egress allow-list");
    }
    assertThat(refusal(policy("192.168.1.0/24"), "192.168.1.1")).isEmpty();
    assertThat(refusal(policy("192.168.1.0/24"), "192.168.2.1")).isPresent();
    assertThat(refusal(policy("100.64.0.0/10"), "100.100.0.1")).isEmpty();
    assertThat(refusal(policy(), "::ffff:10.0.0.1")).isPresent();
  }

  @Test
  void addressesOfNoSingleHostAreRefused() {
    for (String address : List.of("0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1")) {
      assertThat(refusal(policy("0.0.0.0/0"), address))
          .as(address)
          .contains("is not a single host's address");
    }
  }

  @Test
  void rangesAreParsedStrictly() {
    assertThat(Cidr.parse("10.1.0.0/16").contains(address("10.1.255.1"))).isTrue();
    assertThat(Cidr.parse("10.1.0.0/16").contains(address("10.2.0.1"))).isFalse();
    assertThat(Cidr.parse("10.0.0.0/9").contains(address("10.127.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/9").contains(address("10.128.0.1"))).isFalse();
    assertThat(Cidr.parse("192.0.2.1").contains(address("192.0.2.1"))).isTrue();
    assertThatThrownBy(() -> Cidr.parse("10.1.0.1/16")).hasMessageContaining("bits set");
    assertThatThrownBy(() -> Cidr.parse("mirror.example/24"))
        .hasMessageContaining("not an address range");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("does not fit");
  }

  private static Optional<String> refusal(EgressPolicy policy, String address) {
    return policy.refusal(address(address));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
