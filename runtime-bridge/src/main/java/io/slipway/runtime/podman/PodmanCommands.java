package io.slipway.runtime.podman;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.Labels;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the argument lists of the podman commands the driver runs (without the leading {@code
 * podman}). Pure: nothing here runs anything, so every list is checked exactly by a unit test.
 */
public final class PodmanCommands {

  private final PodmanSettings settings;

  public PodmanCommands(PodmanSettings settings) {
    this.settings = settings;
  }

  /** One network per project: {@code <prefix><tenant>-<project>}. */
  public String networkName(AppRef ref) {
    return settings.namePrefix() + ref.namespace();
  }

  /** {@code <prefix><tenant>-<project>-<app>-v<revision>-<index>}. */
  public String containerName(AppRef ref, int revision, int index) {
    return settings.namePrefix()
        + ref.namespace()
        + "-"
        + ref.app()
        + "-v"
        + revision
        + "-"
        + index;
  }

  public List<String> networkExists(AppRef ref) {
    return List.of("network", "exists", networkName(ref));
  }

  /** An isolated bridge: containers on other isolated networks cannot reach it. */
  public List<String> networkCreate(AppRef ref) {
    List<String> args = new ArrayList<>(List.of("network", "create", "--opt", "isolate=true"));
    labels(args, Labels.project(ref));
    args.add(networkName(ref));
    return args;
  }

  public List<String> networkRemove(AppRef ref) {
    return List.of("network", "rm", "-f", networkName(ref));
  }

  /** Starts one instance of a revision without secrets. */
  public List<String> run(AppSpec spec, int index) {
    return run(spec, index, null);
  }

  /**
   * Starts one instance of a revision, hardened and limited as its spec says; its secrets come from
   * {@code secretsFile} (an env file) so that their values are not on any command line.
   */
  public List<String> run(AppSpec spec, int index, Path secretsFile) {
    AppRef ref = spec.ref();
    List<String> args = new ArrayList<>(List.of("run", "-d"));
    args.addAll(List.of("--name", containerName(ref, spec.revision(), index)));
    args.addAll(List.of("--network", networkName(ref)));
    labels(args, Labels.app(ref));
    labels(
        args,
        Map.of(
            Labels.REVISION, Integer.toString(spec.revision()),
            Labels.INSTANCE, Integer.toString(index),
            Labels.PORT, Integer.toString(spec.port())));
    args.addAll(List.of("--cap-drop", "ALL", "--security-opt", "no-new-privileges"));
    // A tiny init as PID 1 forwards SIGTERM to the app: an app run as PID 1 ignores it unless it
    // installs a handler, and every stop would then wait out the whole stop timeout.
    args.add("--init");
    args.addAll(List.of("--pids-limit", Integer.toString(settings.pidsLimit())));
    args.addAll(List.of("--memory", spec.memoryMib() + "m"));
    args.addAll(List.of("--memory-swap", spec.memoryMib() + "m"));
    args.addAll(List.of("--cpus", cpus(spec.cpuMillicores())));
    if (spec.readOnlyRootFilesystem()) {
      // podman adds writable tmpfs mounts on /tmp, /var/tmp and /run (--read-only-tmpfs).
      args.add("--read-only");
    }
    args.addAll(List.of("--user", spec.runAsUser() + ":" + spec.runAsUser()));
    spec.env().forEach((name, value) -> args.addAll(List.of("--env", name + "=" + value)));
    if (secretsFile != null) {
      args.addAll(List.of("--env-file", secretsFile.toString()));
    }
    args.add(spec.imageReference());
    return args;
  }

  public List<String> start(String container) {
    return List.of("start", container);
  }

  /** Stops (SIGTERM, then SIGKILL after the stop timeout) and deletes; missing ones are ignored. */
  public List<String> remove(List<String> containers) {
    List<String> args = new ArrayList<>(List.of("rm", "--force", "--ignore"));
    args.addAll(List.of("--time", Long.toString(settings.stopTimeout().toSeconds())));
    args.addAll(containers);
    return args;
  }

  /** Every container of the app, running or not, as JSON. */
  public List<String> listApp(AppRef ref) {
    return List.of(
        "ps",
        "--all",
        "--format",
        "json",
        "--filter",
        "label=" + Labels.APP + "=" + ref.app(),
        "--filter",
        "label=" + Labels.PROJECT + "=" + ref.project(),
        "--filter",
        "label=" + Labels.TENANT + "=" + ref.tenant());
  }

  /**
   * Every container this bridge manages, as JSON: Slipway's label and this bridge's name prefix, so
   * that two bridges on one machine (a developer's platform and a test run) never take each other's
   * containers for orphans.
   */
  public List<String> listManaged() {
    return List.of(
        "ps",
        "--all",
        "--format",
        "json",
        "--filter",
        "label=" + Labels.MANAGED_BY + "=" + Labels.SLIPWAY,
        "--filter",
        "name=^" + settings.namePrefix());
  }

  /**
   * One line per container that exists, {@code name|status|exit code|address on its project's
   * network}; podman exits non-zero when one of them does not exist, and still prints the others.
   */
  public List<String> inspectInstances(AppRef ref, List<String> containers) {
    List<String> args = new ArrayList<>(List.of("inspect", "--type", "container", "--format"));
    args.add(
        "{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}|{{(index .NetworkSettings.Networks \""
            + networkName(ref)
            + "\").IPAddress}}");
    args.addAll(containers);
    return args;
  }

  public List<String> logs(String container, int lines) {
    return List.of("logs", "--tail", Integer.toString(lines), container);
  }

  /**
   * The last {@code lines} lines of a container, then (when {@code follow}) what it writes next.
   */
  public List<String> streamLogs(String container, int lines, boolean follow) {
    List<String> args = new ArrayList<>(List.of("logs", "--tail", Integer.toString(lines)));
    if (follow) {
      args.add("--follow");
    }
    args.add(container);
    return args;
  }

  static String cpus(int millicores) {
    return BigDecimal.valueOf(millicores, 3).stripTrailingZeros().toPlainString();
  }

  private static void labels(List<String> args, Map<String, String> labels) {
    labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> args.addAll(List.of("--label", e.getKey() + "=" + e.getValue())));
  }
}
