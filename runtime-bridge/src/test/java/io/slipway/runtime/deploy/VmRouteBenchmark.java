package io.slipway.runtime.deploy;

import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.HostRequest;
import io.slipway.runtime.vm.PodmanVms;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 23's routing target, measured through the API as a tenant sees it: {@code PUT .../vm} with
 * an {@code httpPort} until the app's host answers the guest's page through the router (the test's
 * Caddy), beside, in the same boots, the floor of the same page answering on the project network
 * (what {@code VmBootBenchmark} measures through {@code PodmanVms}); then {@code DELETE .../vm}.
 * Under TCG. Prints p50/p95 and the load average; asserts nothing about time.
 *
 * <p>{@code ./slipway bench -pl runtime-bridge -Dtest=VmRouteBenchmark} (the test Keycloak's
 * environment, as the API tests). Needs the VM images (scripts/images.sh: ensure_vm_images).
 */
@Tag("benchmark")
class VmRouteBenchmark extends ApiFixture {

  private static final int RUNS = 4;
  private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
  private static final String PAGE = "ready\n";
  private static final String USER_DATA =
      """
      #cloud-config
      runcmd:
        - mkdir -p /srv && echo ready > /srv/index.html
        - busybox httpd -p 8080 -h /srv
      """;

  @Autowired PodmanVms podmanVms;

  @Test
  void createToHttpThroughTheRouterAgainstTheProjectNetwork() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    String vm = appPath + "/vm";
    String spec =
        JSON.writeValueAsString(new VmRequest(1, 256, null, USER_DATA, List.of(8080), 8080));
    String load = loadAverage();
    double[] onNetwork = new double[RUNS];
    double[] routed = new double[RUNS];
    double[] deleted = new double[RUNS];
    try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int run = 0; run < RUNS; run++) {
        long start = System.nanoTime();
        String address = bridge(alice, "PUT", vm, spec, 201).path("addresses").get(0).asString();
        Future<Double> direct = probes.submit(() -> secondsUntil(start, () -> direct(address)));
        routed[run] = secondsUntil(start, this::routed);
        onNetwork[run] = direct.get();
        long deleting = System.nanoTime();
        bridge(alice, "DELETE", vm, null, 204);
        deleted[run] = seconds(deleting);
      }
    } finally {
      podmanVms.delete(ref);
      forgetTenant();
    }
    System.out.printf(
        "%nVM through the API under TCG, %d runs (1 vCPU, 256 MiB, the Debian guest; load average"
            + " %s before, %s after)%n",
        RUNS, load, loadAverage());
    System.out.printf("%-56s %8s %8s %8s%n", "", "p50", "p95", "max");
    row("floor: create -> HTTP answering on the project network", onNetwork);
    row("create -> HTTP port answering through the router", routed);
    row("delete (DELETE .../vm)", deleted);
    System.out.println("target (issue 23): HTTP through the router p95 <= 8 s");
  }

  private boolean direct(String address) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + "/"))
            .timeout(Duration.ofSeconds(1))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body().equals(PAGE);
  }

  private boolean routed() throws Exception {
    HostRequest.Reply reply =
        HostRequest.get(CADDY.httpPort(), siteHost(), "/", "*/*", Duration.ofSeconds(10));
    return reply.status() == 200 && reply.body().equals(PAGE);
  }

  private static double secondsUntil(long start, Callable<Boolean> answered) {
    await()
        .atMost(BOOT_LIMIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(answered);
    return seconds(start);
  }

  private static void row(String what, double[] seconds) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-56s %7.2fs %7.2fs %7.2fs%n",
        what, rank(sorted, 0.50), rank(sorted, 0.95), sorted[sorted.length - 1]);
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
