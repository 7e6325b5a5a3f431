package io.slipway.runtime.podman;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps the platform's nftables table in line with the project networks this bridge guards: each
 * change renders the whole rule set again ({@link FirewallRules}) and replaces the table in one
 * transaction, so a table is never half-written and a second call with the same state changes
 * nothing.
 *
 * <p>The table is this bridge's alone (one name per bridge instance): it is never flushed by
 * anything else, and it stays when the bridge stops, so that apps still running stay closed.
 */
public final class ProjectFirewall {

  private final String table;
  private final Nft nft;
  private final Predicate<String> egressAllowed;
  private final Map<String, ProjectBridge> bridges = new HashMap<>();

  /**
   * @param table the nftables table ({@code inet <table>}) this bridge owns
   * @param nft how the rule set is applied
   * @param egressAllowed whether a project (by id) opted in to reach the outside
   */
  public ProjectFirewall(String table, Nft nft, Predicate<String> egressAllowed) {
    this.table = table;
    this.nft = nft;
    this.egressAllowed = egressAllowed;
  }

  public String table() {
    return table;
  }

  /** Closes the project's bridge; returns once the rules are in force. */
  public synchronized void guard(String projectId, ProjectBridge bridge) {
    Map<String, ProjectBridge> before = new HashMap<>(bridges);
    // an interface name freed by a network removed behind the bridge's back may be reused
    bridges.values().removeIf(b -> b.interfaceName().equals(bridge.interfaceName()));
    bridges.put(projectId, bridge);
    try {
      apply();
    } catch (RuntimeException e) {
      bridges.clear();
      bridges.putAll(before);
      throw e;
    }
  }

  /** Forgets a project whose network is gone. */
  public synchronized void release(String projectId) {
    if (bridges.remove(projectId) != null) {
      apply();
    }
  }

  /** Guards exactly these bridges, by project id, with each project's egress read again. */
  public synchronized void rebuild(Map<String, ProjectBridge> current) {
    bridges.clear();
    bridges.putAll(current);
    apply();
  }

  /** Applies the projects' egress settings as they are now. */
  public synchronized void refresh() {
    apply();
  }

  public synchronized Set<String> guarded() {
    return Set.copyOf(bridges.keySet());
  }

  /** Removes the table (tests, or a platform taken down for good). */
  public synchronized void removeTable() {
    bridges.clear();
    nft.apply(FirewallRules.removal(table));
  }

  private void apply() {
    Map<ProjectBridge, Boolean> rules = new HashMap<>();
    bridges.forEach((project, bridge) -> rules.put(bridge, egressAllowed.test(project)));
    nft.apply(FirewallRules.script(table, rules));
  }
}
