package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.vm.PodmanVms;
import io.slipway.runtime.vm.RawVmRun;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 23's lifecycle targets, through the API as a tenant sees it, beside the raw tools' floor in
 * the same run: {@code PUT .../vm} until the guest said it is ready (its seed applied, its {@code
 * runcmd} done) and {@code POST .../vm/stop} until its resources are freed (the container exited,
 * its compute back in tenant-service's usage), against the same runner image, QEMU arguments and
 * disk started with {@code podman run} to the same ready line and ended with {@code podman stop};
 * then 50 {@code PUT}/{@code DELETE} cycles, after which the VM's containers, volumes and secrets
 * (by label and name from podman), routes to any address it had (Caddy's admin API) and
 * reservations (tenant-service's usage) are counted: all must be 0. Under TCG. Prints each figure
 * with its target and a mark where it is missed; asserts only that nothing is left.
 *
 * <p>{@code ./slipway bench -pl runtime-bridge -Dtest=VmLifecycleBenchmark} (the test Keycloak's
 * environment, as the API tests). Needs the VM images (scripts/images.sh: ensure_vm_images).
 */
@Tag("benchmark")
class VmLifecycleBenchmark extends ApiFixture {

  private static final int RUNS = 6;
  private static final int CYCLES = 50;
  private static final double READY_TARGET = 6.0;
  private static final double STOP_TARGET = 3.0;
  private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
  private static final String USER_DATA =
      """
      #cloud-config
      runcmd:
        - mkdir -p /srv && echo ready > /srv/index.html
        - busybox httpd -p 8080 -h /srv
      """;

  @Autowired PodmanVms podmanVms;
  @Autowired VmSettings settings;

  @Test
  void createToReadyAndStopToFreedAgainstTheRawToolsThenFiftyCyclesLeaveNothing() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    String vm = appPath + "/vm";
    String spec =
        JSON.writeValueAsString(new VmRequest(1, 256, null, USER_DATA, List.of(8080), 8080));
    PodmanSettings podman = new PodmanSettings(TestImages.PREFIX, 64, Duration.ZERO);
    RawVmRun floor = new RawVmRun(podman, settings, new PodmanDriver(podman, TestImages.API));
    VmSpec same = new VmSpec(ref, 1, 256, settings.guestImage(), USER_DATA, List.of(8080));
    String load = loadAverage();
    double[] ready = new double[RUNS];
    double[] freed = new double[RUNS];
    double[] rawReady = new double[RUNS];
    double[] rawStop = new double[RUNS];
    double[] cycles = new double[CYCLES];
    Set<String> addresses = new LinkedHashSet<>();
    Leftovers left;
    try {
      for (int run = 0; run < RUNS; run++) {
        long start = System.nanoTime();
        bridge(alice, "PUT", vm, spec, 201);
        await()
            .atMost(BOOT_LIMIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> bridge(alice, "GET", vm, null, 200).path("ready").asBoolean());
        ready[run] = seconds(start);
        long stopping = System.nanoTime();
        bridge(alice, "POST", vm + "/stop", null, 200);
        await()
            .atMost(BOOT_LIMIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> !running(ref) && computeUsed(alice).equals(List.of(0L, 0L, 0L)));
        freed[run] = seconds(stopping);
        bridge(alice, "DELETE", vm, null, 204);

        rawReady[run] = floor.bootToReady(same);
        rawStop[run] = floor.stop(ref);
        floor.remove(ref);
      }
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        long start = System.nanoTime();
        JsonNode made = bridge(alice, "PUT", vm, spec, 201);
        made.path("addresses").forEach(address -> addresses.add(address.asString()));
        bridge(alice, "DELETE", vm, null, 204);
        cycles[cycle] = seconds(start);
      }
      left = leftovers(alice, ref, addresses);
    } finally {
      podmanVms.delete(ref);
      floor.remove(ref);
      forgetTenant();
    }
    System.out.printf(
        "%nVM lifecycle through the API under TCG, %d runs (1 vCPU, 256 MiB, the Debian guest;"
            + " load average %s before, %s after)%n",
        RUNS, load, loadAverage());
    System.out.printf("%-58s %8s %8s %8s %8s%n", "", "p50", "p95", "max", "target");
    row("create -> guest ready (PUT .../vm, seed applied)", ready, READY_TARGET);
    row("floor: podman run, same image, args, disk -> ready", rawReady, 0);
    row("stop -> container exited, reservation released", freed, STOP_TARGET);
    row("floor: podman stop (QEMU ends on SIGTERM)", rawStop, 0);
    row(CYCLES + " create/delete cycles: one cycle", cycles, 0);
    System.out.printf(
        "left after %d cycles (target 0 each): containers %d, volumes %d, secrets %d, routes to"
            + " the VM's %d addresses %d, reservations (tenant-service's usage: replicas %d,"
            + " millicores %d, MiB %d, VM disks %d MiB)%s%n",
        CYCLES,
        left.containers(),
        left.volumes(),
        left.secrets(),
        addresses.size(),
        left.routes(),
        left.compute().get(2),
        left.compute().get(0),
        left.compute().get(1),
        left.diskMib(),
        left.none() ? "" : "  <-- MISSED");
    assertThat(left.none()).as(left.toString()).isTrue();
  }

  /** What 50 cycles left behind. */
  private record Leftovers(
      int containers, int volumes, int secrets, int routes, List<Long> compute, long diskMib) {

    boolean none() {
      return containers + volumes + secrets + routes == 0
          && compute.equals(List.of(0L, 0L, 0L))
          && diskMib == 0;
    }
  }

  private Leftovers leftovers(String alice, AppRef ref, Set<String> addresses) throws Exception {
    String byApp = "label=" + Labels.APP_ID + "=" + ref.appId();
    String name = TestImages.PREFIX + ref.appId() + "-vm";
    int containers = lines(List.of("ps", "-a", "-q", "--filter", byApp));
    int volumes = lines(List.of("volume", "ls", "-q", "--filter", byApp));
    int secrets =
        (int)
            PODMAN
                .run(List.of("secret", "ls", "--format", "{{.Name}}"))
                .stdout()
                .lines()
                .filter(secret -> secret.startsWith(name))
                .count();
    String config = CADDY.adminGet("/config/");
    int routes = (int) addresses.stream().filter(config::contains).count();
    JsonNode usage =
        JSON.readTree(
            tenantService(alice, "GET", "/api/v1/tenants/" + tenant + "/usage", null, 200));
    long disks = 0;
    for (JsonNode part : usage.path("measured")) {
      if (part.path("key").asString().equals("vm-disks")) {
        disks = part.path("storageMib").asLong();
      }
    }
    return new Leftovers(containers, volumes, secrets, routes, computeUsed(alice), disks);
  }

  private static int lines(List<String> args) {
    return (int) PODMAN.run(args).stdout().lines().filter(line -> !line.isBlank()).count();
  }

  private boolean running(AppRef ref) {
    return PODMAN
        .run(List.of("ps", "-q", "--filter", "label=" + Labels.APP_ID + "=" + ref.appId()))
        .stdout()
        .lines()
        .anyMatch(line -> !line.isBlank());
  }

  /** The tenant's used millicores, memory and replicas, as tenant-service counts them. */
  private List<Long> computeUsed(String token) throws Exception {
    JsonNode used =
        JSON.readTree(
                tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/usage", null, 200))
            .path("used");
    return List.of(
        used.path("cpuMillicores").asLong(),
        used.path("memoryMib").asLong(),
        used.path("replicas").asLong());
  }

  private static void row(String what, double[] seconds, double target) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double p95 = rank(sorted, 0.95);
    System.out.printf(
        "%-58s %7.2fs %7.2fs %7.2fs %8s%s%n",
        what,
        rank(sorted, 0.50),
        p95,
        sorted[sorted.length - 1],
        target > 0 ? String.format("%.0f s", target) : "-",
        target > 0 && p95 > target ? "  <-- MISSED" : "");
  }

  /** Nearest-rank percentile of sorted values. */
  private static double rank(double[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static String loadAverage() throws Exception {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
