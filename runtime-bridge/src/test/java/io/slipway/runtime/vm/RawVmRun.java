package io.slipway.runtime.vm;

import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' floor: a VM's runner image run by the podman CLI as {@link PodmanVms} runs it
 * (same QEMU command line, seed, volume, read-only root and user), on the VM's project network,
 * under the name {@code <its container>-raw}: the raw tools, timed to the same ready line and to
 * {@code podman stop}.
 */
public final class RawVmRun {

  private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);

  private final PodmanSettings podman;
  private final VmSettings settings;
  private final PodmanDriver driver;
  private final VmRequests requests;

  public RawVmRun(PodmanSettings podman, VmSettings settings, PodmanDriver driver) {
    this.podman = podman;
    this.settings = settings;
    this.driver = driver;
    this.requests = new VmRequests(podman, settings);
  }

  /**
   * Runs the VM of {@code spec} with {@code podman run}: its volume and user-data secret made first
   * (not timed), then the seconds from the command to the guest's ready line.
   */
  public double bootToReady(VmSpec spec) throws IOException, InterruptedException {
    AppRef ref = spec.ref();
    String name = name(ref);
    remove(ref);
    driver.ensureNetwork(ref);
    run("podman", "volume", "create", name);
    Path userData = Files.createTempFile("vm-bench", ".yaml");
    Files.writeString(userData, spec.userData());
    try {
      run("podman", "secret", "create", name, userData.toString());
    } finally {
      Files.delete(userData);
    }
    Path log =
        Path.of(run("podman", "volume", "inspect", "--format", "{{.Mountpoint}}", name))
            .resolve(QemuCommand.CONSOLE_LOG);
    long memory = spec.memoryMib() + (long) settings.qemuOverheadMib();
    List<String> command =
        new ArrayList<>(
            List.of(
                "podman",
                "run",
                "-d",
                "--name",
                name,
                "--network",
                requests.networkName(ref),
                "--read-only",
                "--memory=" + memory + "m",
                "--memory-swap=" + memory + "m",
                "--cpus=" + spec.vcpus(),
                "--pids-limit=" + podman.pidsLimit(),
                "--cap-drop=ALL",
                "--security-opt=no-new-privileges",
                "--init",
                "--user",
                VmRequests.QEMU_USER,
                "--sysctl",
                "net.ipv4.ip_unprivileged_port_start=0",
                "--tmpfs",
                "/tmp",
                "-v",
                name + ":" + QemuCommand.STATE_DIR + ":U",
                "--mount",
                "type=image,source=" + spec.image() + ",destination=" + QemuCommand.IMAGE_DIR,
                "--secret",
                name + ",target=" + VmRequests.USER_DATA_FILE + ",uid=107,gid=107,mode=0400",
                "-e",
                "VM_NAME=" + spec.name(),
                "-e",
                "VM_ACCELERATOR=tcg",
                settings.runnerImage()));
    command.addAll(QemuCommand.of(spec, Accelerator.TCG));
    long start = System.nanoTime();
    run(command.toArray(String[]::new));
    await()
        .atMost(BOOT_LIMIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> Files.readString(log).contains(PodmanVms.READY));
    return seconds(start);
  }

  /**
   * The seconds {@code podman stop} takes to end the raw run of {@code ref}'s VM: QEMU ends on its
   * SIGTERM at once, without the guest powering off, so this is below a graceful stop's floor.
   */
  public double stop(AppRef ref) throws IOException, InterruptedException {
    long start = System.nanoTime();
    run("podman", "stop", "-t", "30", name(ref));
    return seconds(start);
  }

  /** Removes the raw run's container, volume and secret, whatever is left of them. */
  public void remove(AppRef ref) throws IOException, InterruptedException {
    String name = name(ref);
    run("podman", "rm", "-f", "-t", "0", "--ignore", name);
    run("podman", "volume", "rm", "-f", name);
    new ProcessBuilder("podman", "secret", "rm", name)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  private String name(AppRef ref) {
    return requests.containerName(ref) + "-raw";
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output.strip();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
