package io.slipway.runtime.podman;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The nftables rule set that closes project networks, as one {@code nft -f} script: it replaces the
 * platform's own table atomically (a script is one transaction) and touches no other table.
 *
 * <p>Traffic that enters the host from a project bridge:
 *
 * <ul>
 *   <li>to the host itself (any of its addresses, any port): refused, but for replies to
 *       connections the host opened (the router's requests) and DNS on the bridge's own address
 *       when podman serves it there;
 *   <li>through the host (forwarded): replies are let through; another project's bridge, any other
 *       podman network and link-local addresses (cloud metadata) are refused; the rest (the
 *       outside) only for projects that opted in.
 * </ul>
 *
 * A drop in this table is final whatever podman's own tables accept, so the rules hold the same
 * with CNI (podman 4) and netavark (podman 5). Refusals answer with ICMP "administratively
 * prohibited", so an app sees its connection refused at once rather than hanging.
 */
public final class FirewallRules {

  /** Interfaces of podman networks Slipway did not make (the default one, other tools'). */
  static final List<String> OTHER_PODMAN_BRIDGES = List.of("cni-podman*", "podman*");

  private FirewallRules() {}

  /**
   * The script that makes table {@code inet <table>} hold exactly the rules for these bridges.
   *
   * @param table the table's name (one per bridge instance: {@code slipway})
   * @param bridges each guarded bridge, with whether its project may reach the outside
   */
  public static String script(String table, Map<ProjectBridge, Boolean> bridges) {
    if (!table.matches("[a-z][a-z0-9_]{0,31}")) {
      throw new IllegalArgumentException("not a table name: " + table);
    }
    Collection<ProjectBridge> all = bridges.keySet();
    StringBuilder s = new StringBuilder();
    // declaring then deleting makes the first run work as well as every later one
    s.append("table inet ").append(table).append('\n');
    s.append("delete table inet ").append(table).append('\n');
    s.append("table inet ").append(table).append(" {\n");
    s.append("\tset bridges {\n\t\ttype ifname\n");
    elements(s, all.stream().map(ProjectBridge::interfaceName).toList());
    s.append("\t}\n");
    s.append("\tset egress {\n\t\ttype ifname\n");
    elements(
        s,
        bridges.entrySet().stream()
            .filter(Map.Entry::getValue)
            .map(e -> e.getKey().interfaceName())
            .toList());
    s.append("\t}\n");

    s.append("\tchain input {\n");
    s.append("\t\ttype filter hook input priority filter - 5; policy accept;\n");
    s.append("\t\tiifname != @bridges accept\n");
    s.append("\t\tct state established,related accept\n");
    for (ProjectBridge bridge : sorted(all)) {
      if (bridge.dns()) {
        for (String gateway : bridge.gateways()) {
          s.append("\t\tiifname ")
              .append(quoted(bridge.interfaceName()))
              .append(bridge.ipv6(gateway) ? " ip6 daddr " : " ip daddr ")
              .append(gateway)
              .append(" meta l4proto { tcp, udp } th dport 53 accept\n");
        }
      }
    }
    s.append("\t\treject with icmpx type admin-prohibited\n");
    s.append("\t}\n");

    s.append("\tchain forward {\n");
    s.append("\t\ttype filter hook forward priority filter - 5; policy accept;\n");
    s.append("\t\tiifname != @bridges accept\n");
    s.append("\t\tct state established,related accept\n");
    for (ProjectBridge bridge : sorted(all)) {
      // within one project (only seen here when bridged traffic is filtered by the kernel)
      s.append("\t\tiifname ")
          .append(quoted(bridge.interfaceName()))
          .append(" oifname ")
          .append(quoted(bridge.interfaceName()))
          .append(" accept\n");
    }
    s.append("\t\toifname @bridges reject with icmpx type admin-prohibited\n");
    s.append("\t\toifname { ")
        .append(OTHER_PODMAN_BRIDGES.stream().map(FirewallRules::quoted).collect(joining()))
        .append(" } reject with icmpx type admin-prohibited\n");
    s.append("\t\tip daddr 169.254.0.0/16 reject with icmpx type admin-prohibited\n");
    s.append("\t\tip6 daddr fe80::/10 reject with icmpx type admin-prohibited\n");
    s.append("\t\tiifname @egress accept\n");
    s.append("\t\treject with icmpx type admin-prohibited\n");
    s.append("\t}\n");
    s.append("}\n");
    return s.toString();
  }

  /** The script that removes the table (nothing else), whether or not it exists. */
  public static String removal(String table) {
    return "table inet " + table + "\ndelete table inet " + table + "\n";
  }

  private static void elements(StringBuilder s, List<String> names) {
    if (!names.isEmpty()) {
      s.append("\t\telements = { ")
          .append(names.stream().distinct().sorted().map(FirewallRules::quoted).collect(joining()))
          .append(" }\n");
    }
  }

  private static List<ProjectBridge> sorted(Collection<ProjectBridge> bridges) {
    return bridges.stream()
        .sorted(java.util.Comparator.comparing(ProjectBridge::interfaceName))
        .toList();
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }

  private static String quoted(String name) {
    return "\"" + name + "\"";
  }
}
