package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The firewall against the real nft: what lands in the kernel, and what a refusal leaves. */
class ProjectFirewallIT {

  private final String table = "slwtest_fw_" + UUID.randomUUID().toString().substring(0, 8);
  private final Set<String> optedIn = new HashSet<>();
  private final ProjectFirewall firewall =
      new ProjectFirewall(table, new Nft("nft"), optedIn::contains);

  @AfterEach
  void removeTable() {
    firewall.removeTable();
  }

  @Test
  void guardsEachBridgeAndFollowsTheEgressSetting() throws Exception {
    firewall.guard("pa", new ProjectBridge("slwfw-a0", List.of("10.250.0.1"), true));
    firewall.guard("pb", new ProjectBridge("slwfw-b0", List.of("10.250.1.1"), false));
    assertThat(set("bridges")).contains("\"slwfw-a0\"", "\"slwfw-b0\"");
    assertThat(set("egress")).doesNotContain("slwfw-");
    assertThat(list()).contains("iifname \"slwfw-a0\" ip daddr 10.250.0.1");

    optedIn.add("pa");
    firewall.refresh();
    assertThat(set("egress")).contains("\"slwfw-a0\"").doesNotContain("slwfw-b0");

    firewall.release("pa");
    assertThat(set("bridges")).contains("\"slwfw-b0\"").doesNotContain("slwfw-a0");

    firewall.rebuild(Map.of());
    assertThat(set("bridges")).doesNotContain("slwfw-");
    assertThat(firewall.guarded()).isEmpty();
  }

  @Test
  void aRefusedRuleSetChangesNothingAndSaysSoWithoutDetails() throws Exception {
    firewall.guard("pa", new ProjectBridge("slwfw-a1", List.of("10.250.0.1"), false));
    String before = list();
    // an address nft refuses: the transaction fails as a whole
    ProjectBridge bad = new ProjectBridge("slwfw-c1", List.of("10.250.0.999"), true);
    assertThatThrownBy(() -> firewall.guard("pc", bad))
        .isInstanceOf(Nft.FirewallException.class)
        .hasMessage(Nft.REFUSED);
    assertThat(list()).isEqualTo(before);
    assertThat(firewall.guarded()).containsExactly("pa");
  }

  @Test
  void aMissingNftRefusesToGuard() {
    ProjectFirewall without =
        new ProjectFirewall(table, new Nft("/nonexistent/nft"), project -> false);
    assertThatThrownBy(() -> without.guard("pa", new ProjectBridge("slwfw-a2", List.of(), false)))
        .isInstanceOf(Nft.FirewallException.class);
    assertThat(without.guarded()).isEmpty();
  }

  private String set(String name) throws Exception {
    return nft("list", "set", "inet", table, name);
  }

  private String list() throws Exception {
    return nft("list", "table", "inet", table);
  }

  private static String nft(String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("nft"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
