package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirewallRulesTest {

  private final ProjectBridge closed =
      new ProjectBridge("cni-podman3", List.of("10.89.2.1"), false);
  private final ProjectBridge open =
      new ProjectBridge("podman7", List.of("10.89.6.1", "fd00:6::1"), true);

  @Test
  void rendersTheWholeTableAsOneTransaction() {
    Map<ProjectBridge, Boolean> bridges = new LinkedHashMap<>();
    bridges.put(open, true);
    bridges.put(closed, false);
    assertThat(FirewallRules.script("slipway", bridges))
        .isEqualTo(
            """
            table inet slipway
            delete table inet slipway
            table inet slipway {
            \tset bridges {
            \t\ttype ifname
            \t\telements = { "cni-podman3", "podman7" }
            \t}
            \tset egress {
            \t\ttype ifname
            \t\telements = { "podman7" }
            \t}
            \tchain input {
            \t\ttype filter hook input priority filter - 5; policy accept;
            \t\tiifname != @bridges accept
            \t\tct state established,related accept
            \t\tiifname "podman7" ip daddr 10.89.6.1 meta l4proto { tcp, udp } th dport 53 accept
            \t\tiifname "podman7" ip6 daddr fd00:6::1 meta l4proto { tcp, udp } th dport 53 accept
            \t\treject with icmpx type admin-prohibited
            \t}
            \tchain forward {
            \t\ttype filter hook forward priority filter - 5; policy accept;
            \t\tiifname != @bridges accept
            \t\tct state established,related accept
            \t\tiifname "cni-podman3" oifname "cni-podman3" accept
            \t\tiifname "podman7" oifname "podman7" accept
            \t\toifname @bridges reject with icmpx type admin-prohibited
            \t\toifname { "cni-podman*", "podman*" } reject with icmpx type admin-prohibited
            \t\tip daddr 169.254.0.0/16 reject with icmpx type admin-prohibited
            \t\tip6 daddr fe80::/10 reject with icmpx type admin-prohibited
            \t\tiifname @egress accept
            \t\treject with icmpx type admin-prohibited
            \t}
            }
            """);
  }

  @Test
  void anEmptyTableStillReplacesWhatWasThere() {
    String script = FirewallRules.script("slwtest_a1", Map.of());
    assertThat(script)
        .startsWith("table inet slwtest_a1\ndelete table inet slwtest_a1\n")
        .doesNotContain("elements");
  }

  @Test
  void refusesNamesThatCouldEscapeTheScript() {
    assertThatThrownBy(() -> FirewallRules.script("slipway; flush ruleset", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProjectBridge("eth0\" accept", List.of(), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProjectBridge("podman1", List.of("10.0.0.1; accept"), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removalDeletesOnlyTheNamedTable() {
    assertThat(FirewallRules.removal("slipway"))
        .isEqualTo("table inet slipway\ndelete table inet slipway\n");
  }
}
