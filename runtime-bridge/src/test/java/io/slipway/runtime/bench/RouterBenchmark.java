package io.slipway.runtime.bench;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanRunner;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.rollout.HealthProbe;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.rollout.RolloutResult;
import io.slipway.runtime.router.CaddyRouter;
import io.slipway.testing.TestCaddy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The router's cost, measured in one run against its own baseline: requests through Caddy to one
 * busybox httpd replica against the same requests straight to the container, at a fixed rate
 * (latency percentiles, measured from when each request was due, so a stall is not hidden) and at
 * the highest rate a fixed number of concurrent clients reach; then deploy-to-live through the
 * router against a raw {@code podman run} plus its first 200. Every request opens its own
 * connection (busybox httpd closes after each answer), the same way on both paths. Prints its
 * figures and the targets; asserts nothing about time.
 *
 * <p>{@code ./slipway bench -pl runtime-bridge}, or {@code mvn -Pbench verify -pl runtime-bridge}.
 */
@Tag("benchmark")
class RouterBenchmark {

  private static final int RATE = 100;
  private static final Duration FIXED = Duration.ofSeconds(20);
  private static final Duration MAX = Duration.ofSeconds(2);
  private static final int ROUNDS = 5;
  private static final int CLIENTS = 16;

  private final PodmanDriver driver =
      new PodmanDriver(new PodmanSettings(TestImages.PREFIX, 256, Duration.ZERO), TestImages.API);
  private final RenderSettings render = RenderSettings.defaults();
  private final AppRef ref = Specs.ref("bench", "p", "web");

  @Test
  void routerAgainstDirectAndDeployToLiveAgainstRawPodman() throws Exception {
    String image = TestImages.httpd("bench", "x".repeat(1024) + "\n");
    try (TestCaddy caddy = TestCaddy.start()) {
      CaddyRouter router = new CaddyRouter(caddy.adminSocket(), "slipway", caddy.listen());
      router.ensureServer();
      Rollout rollout =
          new Rollout(driver, router, new HealthProbe(), render, Duration.ofSeconds(30));
      RolloutResult live = rollout.rollOut(Specs.web(ref, 1, image, 1), Optional.empty());
      if (!live.live()) {
        throw new IllegalStateException(live.reason());
      }
      Instance instance = driver.observe(ref).getFirst().running().getFirst();
      String[] hostPort = instance.address().split(":");
      InetSocketAddress direct = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
      InetSocketAddress routed = new InetSocketAddress("127.0.0.1", caddy.httpPort());
      String host = render.host(ref);

      fixedRate(direct, routed, host, Duration.ofSeconds(2));
      long[][] latency = fixedRate(direct, routed, host, FIXED);
      long[] directLatency = latency[0];
      long[] routedLatency = latency[1];
      // Alternating short rounds, so that both paths see the same moments of a shared machine.
      double directMax = 0;
      double routedMax = 0;
      for (int round = 0; round < ROUNDS; round++) {
        directMax += maxRate(direct, host) / ROUNDS;
        routedMax += maxRate(routed, host) / ROUNDS;
      }

      System.out.printf(
          "%nrouter at %d req/s on each path, interleaved, for %d s (ms):%n"
              + "  direct        p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n"
              + "  through Caddy p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n"
              + "  added: p50 %.2f  p90 %.2f  p99 %.2f (target: p99 < 2 ms)%n",
          RATE,
          FIXED.toSeconds(),
          percentile(directLatency, 50),
          percentile(directLatency, 90),
          percentile(directLatency, 99),
          percentile(directLatency, 100),
          percentile(routedLatency, 50),
          percentile(routedLatency, 90),
          percentile(routedLatency, 99),
          percentile(routedLatency, 100),
          percentile(routedLatency, 50) - percentile(directLatency, 50),
          percentile(routedLatency, 90) - percentile(directLatency, 90),
          percentile(routedLatency, 99) - percentile(directLatency, 99));
      System.out.printf(
          "router at max rate (%d clients, %d alternating rounds of %d s): direct %.0f req/s;"
              + " through Caddy %.0f req/s; %.0f%% of direct (target >= 70%%)%n",
          CLIENTS, ROUNDS, MAX.toSeconds(), directMax, routedMax, 100 * routedMax / directMax);
      driver.removeApp(ref);
      deployToLive(rollout, caddy, image);
    } finally {
      driver.removeApp(ref);
      new PodmanRunner(Duration.ofSeconds(30))
          .attempt(List.of("network", "rm", "-f", driver.requests().networkName(ref)));
      TestImages.removeAll();
    }
  }

  /** Deploy-to-live against raw podman run + first 200, medians of five each. */
  private void deployToLive(Rollout rollout, TestCaddy caddy, String image) throws Exception {
    PodmanRunner podman = new PodmanRunner(Duration.ofSeconds(60));
    driver.apply(Specs.web(ref, 99, image, 0));
    String network = driver.requests().networkName(ref);
    InetSocketAddress routed = new InetSocketAddress("127.0.0.1", caddy.httpPort());
    int runs = 5;
    long[] raw = new long[runs];
    long[] live = new long[runs];
    for (int i = 0; i < runs; i++) {
      String name = TestImages.PREFIX + "bench-raw-" + i;
      long start = System.nanoTime();
      podman.run(List.of("run", "-d", "--name", name, "--network", network, image));
      String ip =
          podman
              .run(
                  List.of(
                      "inspect",
                      "--format",
                      "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}",
                      name))
              .stdout()
              .strip();
      InetSocketAddress address = new InetSocketAddress(ip, 8080);
      while (!ok(address, "raw")) {
        Thread.onSpinWait();
      }
      raw[i] = (System.nanoTime() - start) / 1_000_000;
      podman.run(List.of("rm", "-f", "-t", "0", name));

      start = System.nanoTime();
      RolloutResult result = rollout.rollOut(Specs.web(ref, 10 + i, image, 1), Optional.empty());
      if (!result.live()) {
        throw new IllegalStateException(result.reason());
      }
      while (!ok(routed, render.host(ref))) {
        Thread.onSpinWait();
      }
      live[i] = (System.nanoTime() - start) / 1_000_000;
      driver.remove(ref, 10 + i);
    }
    Arrays.sort(raw);
    Arrays.sort(live);
    System.out.printf(
        "deploy-to-live through the router: median %d ms; raw podman run + first 200: median %d"
            + " ms; difference %d ms (target < 1000 ms)%n%n",
        live[runs / 2], raw[runs / 2], live[runs / 2] - raw[runs / 2]);
  }

  /**
   * Latencies in nanoseconds of the direct and the routed path, each from when its request was due:
   * at every tick one request on each path, so both see the same moments of the machine.
   */
  private static long[][] fixedRate(
      InetSocketAddress direct, InetSocketAddress routed, String host, Duration length)
      throws InterruptedException {
    int total = (int) (RATE * length.toSeconds());
    long interval = 1_000_000_000L / RATE;
    List<ConcurrentLinkedQueue<Long>> latencies =
        List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
    AtomicLong failures = new AtomicLong();
    List<InetSocketAddress> paths = List.of(direct, routed);
    long begin = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < total; i++) {
        long due = begin + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        for (int path = 0; path < 2; path++) {
          int p = (i + path) % 2;
          pool.submit(
              () -> {
                if (ok(paths.get(p), host)) {
                  latencies.get(p).add(System.nanoTime() - due);
                } else {
                  failures.incrementAndGet();
                }
              });
        }
      }
    }
    if (failures.get() > 0) {
      System.out.printf("  %d of %d requests failed%n", failures.get(), 2 * total);
    }
    long[][] sorted = new long[2][];
    for (int p = 0; p < 2; p++) {
      sorted[p] = latencies.get(p).stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted[p]);
    }
    return sorted;
  }

  /** Requests per second that {@link #CLIENTS} clients, each waiting for its answer, reach. */
  private static double maxRate(InetSocketAddress address, String host) throws Exception {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + MAX.toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      if (ok(address, host)) {
                        done.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread client : clients) {
      client.join();
    }
    return done.get() / (double) MAX.toSeconds();
  }

  private static double percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1_000_000.0;
  }

  /** One GET on a connection of its own: whether it answered 200. */
  private static boolean ok(InetSocketAddress address, String host) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] response = in.readAllBytes();
      return response.length > 12
          && new String(response, 0, 12, StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200");
    } catch (IOException e) {
      return false;
    }
  }
}
