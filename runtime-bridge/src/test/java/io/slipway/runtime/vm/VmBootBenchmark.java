package io.slipway.runtime.vm;

import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.podman.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 23's boot targets, measured beside their floor in one run: {@link PodmanVms} from create to
 * the guest's ready line (its seed applied) and to its start command answering HTTP on the project
 * network, then delete; against a raw {@code podman run} of the same runner image with the same
 * QEMU arguments, seed and volume, from the command to the same ready line. Under TCG (this machine
 * kind has no KVM). Prints a table of p50/p95 and the load average; asserts nothing about time.
 *
 * <p>{@code ./slipway bench -pl runtime-bridge -Dtest=VmBootBenchmark}. Needs the VM images
 * (scripts/images.sh: ensure_vm_images).
 */
@Tag("benchmark")
class VmBootBenchmark {

  private static final int RUNS = 6;
  private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
  private static final String USER_DATA =
      """
      #cloud-config
      runcmd:
        - mkdir -p /srv && echo ready > /srv/index.html
        - busybox httpd -p 8080 -h /srv
      """;

  private final PodmanSettings podman = new PodmanSettings(TestImages.PREFIX, 64, Duration.ZERO);
  private final PodmanDriver driver = new PodmanDriver(podman, TestImages.API);
  private final VmSettings settings =
      new VmProperties(
              VmSettings.RUNNER_IMAGE,
              VmSettings.DEBIAN_IMAGE,
              VmSettings.IMAGE_PREFIX,
              Duration.ofSeconds(30),
              Duration.ofSeconds(10),
              256,
              Path.of("/nonexistent/kvm"))
          .settings("localhost");
  private final PodmanVms vms = new PodmanVms(TestImages.API, driver, podman, settings);
  private final RawVmRun floor = new RawVmRun(podman, settings, driver);
  private final AppRef ref = Specs.ref("bench", "p", "vm");

  @Test
  void createToReadyAndHttpThroughPodmanVmsAgainstRawPodmanRun() throws Exception {
    String load = loadAverage();
    VmSpec spec = new VmSpec(ref, 1, 256, settings.guestImage(), USER_DATA, List.of(8080));
    double[] ready = new double[RUNS];
    double[] served = new double[RUNS];
    double[] deleted = new double[RUNS];
    double[] raw = new double[RUNS];
    try {
      for (int run = 0; run < RUNS; run++) {
        long start = System.nanoTime();
        vms.start(spec);
        await()
            .atMost(BOOT_LIMIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> vms.status(ref).guestReady());
        ready[run] = seconds(start);
        String address = vms.address(ref, 8080).orElseThrow();
        await()
            .atMost(BOOT_LIMIT)
            .pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> GuestHttp.get(address, "/").equals("ready\n"));
        served[run] = seconds(start);
        long deleting = System.nanoTime();
        vms.delete(ref);
        deleted[run] = seconds(deleting);

        raw[run] = floor.bootToReady(spec);
        floor.remove(ref);
      }
    } finally {
      vms.delete(ref);
      floor.remove(ref);
      driver.removeProjectNetwork(ref);
    }
    System.out.printf(
        "%nVM boot under TCG, %d runs each (1 vCPU, 256 MiB, the Debian guest; load average %s"
            + " before, %s after)%n",
        RUNS, load, loadAverage());
    System.out.printf("%-52s %8s %8s %8s%n", "", "p50", "p95", "max");
    row("PodmanVms: create -> guest ready", ready);
    row("PodmanVms: create -> HTTP answering (project net)", served);
    row("PodmanVms: delete (container, volume, secret)", deleted);
    row("floor: raw podman run (same QEMU args) -> ready", raw);
    System.out.println(
        "targets (issue 23): ready p95 <= 6 s; HTTP through the router <= 8 s: VmRouteBenchmark");
  }

  private static void row(String what, double[] seconds) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-52s %7.2fs %7.2fs %7.2fs%n",
        what, rank(sorted, 0.50), rank(sorted, 0.95), sorted[sorted.length - 1]);
  }

  /** Nearest-rank percentile of sorted values. */
  private static double rank(double[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
