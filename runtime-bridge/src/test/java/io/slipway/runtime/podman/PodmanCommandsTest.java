package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodmanCommandsTest {

  private final PodmanCommands commands =
      new PodmanCommands(
          new PodmanSettings("slipway-", 128, Duration.ofSeconds(3), Duration.ofSeconds(30)));
  private final AppRef ref = new AppRef("acme", "shop", "web");

  @Test
  void runsAHardenedLimitedContainerOnTheProjectNetwork() {
    AppSpec spec =
        new AppSpec(
            ref,
            4,
            "localhost/acme/web:1",
            "sha256:" + "c".repeat(64),
            2,
            8080,
            Map.of("B", "2", "A", "1 2"),
            1500,
            128,
            "/",
            1000,
            true);
    assertThat(commands.run(spec, 1))
        .containsExactly(
            "run",
            "-d",
            "--name",
            "slipway-acme-shop-web-v4-1",
            "--network",
            "slipway-acme-shop",
            "--label",
            "app.kubernetes.io/managed-by=slipway",
            "--label",
            "slipway.io/app=web",
            "--label",
            "slipway.io/project=shop",
            "--label",
            "slipway.io/tenant=acme",
            "--label",
            "slipway.io/instance=1",
            "--label",
            "slipway.io/port=8080",
            "--label",
            "slipway.io/revision=4",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--init",
            "--pids-limit",
            "128",
            "--memory",
            "128m",
            "--memory-swap",
            "128m",
            "--cpus",
            "1.5",
            "--read-only",
            "--user",
            "1000:1000",
            "--env",
            "A=1 2",
            "--env",
            "B=2",
            "localhost/acme/web@sha256:" + "c".repeat(64));
  }

  @Test
  void leavesTheRootWritableWhenTheAppNeedsIt() {
    AppSpec spec = new AppSpec(ref, 1, "img", null, 1, 8080, Map.of(), 250, 64, "/", 65534, false);
    List<String> args = commands.run(spec, 0);
    assertThat(args).doesNotContain("--read-only").contains("--cpus", "0.25");
    assertThat(args.getLast()).isEqualTo("img");
  }

  @Test
  void secretsComeFromAnEnvFileNeverFromTheCommandLine() {
    AppSpec spec =
        new AppSpec(
            ref,
            1,
            "img",
            null,
            1,
            8080,
            Map.of("PLAIN", "shown"),
            250,
            64,
            "/",
            65534,
            true,
            Map.of("TOKEN", "hunter2"));
    List<String> args = commands.run(spec, 0, Path.of("/tmp/slipway-env-1.env"));
    assertThat(args)
        .containsSubsequence("--env", "PLAIN=shown", "--env-file", "/tmp/slipway-env-1.env", "img")
        .noneMatch(arg -> arg.contains("hunter2"));
    assertThat(spec.toString()).doesNotContain("hunter2").contains("TOKEN");
  }

  @Test
  void streamsLogsFromTheTailAndFollowsWhenAsked() {
    assertThat(commands.streamLogs("c1", 100, true))
        .containsExactly("logs", "--tail", "100", "--follow", "c1");
    assertThat(commands.streamLogs("c1", 5, false)).containsExactly("logs", "--tail", "5", "c1");
  }

  @Test
  void createsAnIsolatedLabelledNetworkPerProject() {
    assertThat(commands.networkCreate(ref))
        .containsExactly(
            "network",
            "create",
            "--opt",
            "isolate=true",
            "--label",
            "app.kubernetes.io/managed-by=slipway",
            "--label",
            "slipway.io/project=shop",
            "--label",
            "slipway.io/tenant=acme",
            "slipway-acme-shop");
  }

  @Test
  void removesWithTheStopTimeoutAndIgnoresWhatIsGone() {
    assertThat(commands.remove(List.of("a", "b")))
        .containsExactly("rm", "--force", "--ignore", "--time", "3", "a", "b");
  }

  @Test
  void inspectsInstancesByNameForTheirStateAndAddressOnTheProjectNetwork() {
    assertThat(commands.inspectInstances(ref, List.of("slipway-acme-shop-web-v2-0")))
        .containsExactly(
            "inspect",
            "--type",
            "container",
            "--format",
            "{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}"
                + "|{{(index .NetworkSettings.Networks \"slipway-acme-shop\").IPAddress}}",
            "slipway-acme-shop-web-v2-0");
  }

  @Test
  void listsAnAppByItsLabels() {
    assertThat(commands.listApp(ref))
        .containsExactly(
            "ps",
            "--all",
            "--format",
            "json",
            "--filter",
            "label=slipway.io/app=web",
            "--filter",
            "label=slipway.io/project=shop",
            "--filter",
            "label=slipway.io/tenant=acme");
  }

  @Test
  void listsOnlyTheContainersOfThisBridge() {
    assertThat(commands.listManaged())
        .containsExactly(
            "ps",
            "--all",
            "--format",
            "json",
            "--filter",
            "label=app.kubernetes.io/managed-by=slipway",
            "--filter",
            "name=^slipway-");
  }
}
