package io.slipway.runtime.deploy;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's warm invocation target, measured in one run against its floor: the Node function
 * sample ({@code samples/function-node/handler.js} on the function-node stack image, with the
 * Containerfile lines build-service's stack writes) invoked through the real Caddy and the bridge's
 * invoker, against the same handler called the raw way, {@code POST /run} straight at its container
 * with the event the invoker would send. Requests alternate between the two, each on a new
 * connection, one at a time. Prints its figures and the target; asserts nothing about time.
 *
 * <p>{@code ./slipway bench -pl runtime-bridge -Dtest=FunctionBenchmark}.
 */
@Tag("benchmark")
class FunctionBenchmark extends ApiFixture {

  private static final int WARM_UP = 50;
  private static final int REQUESTS = 500;
  private static final String GREETING = "Hello, ada, from function-node on Slipway";

  @Test
  void warmInvocationThroughTheInvokerAgainstTheRawHandler() throws Exception {
    String alice = aliceWithApp();
    String image = image();
    try {
      deployWithRoom(alice, image);
      String address = address(containers().getFirst());
      String event =
          "{\"activationId\":\"bench\",\"timeoutMs\":60000,\"event\":{\"trigger\":\"http\","
              + "\"method\":\"GET\",\"path\":\"/\",\"query\":{\"name\":\"ada\"},\"headers\":{}}}";
      long[] routed = new long[REQUESTS];
      long[] raw = new long[REQUESTS];
      for (int i = -WARM_UP; i < REQUESTS; i++) {
        long began = System.nanoTime();
        HostRequest.Answer answer = HostRequest.get(CADDY.httpPort(), siteHost(), "/?name=ada");
        long routedNanos = System.nanoTime() - began;
        if (answer.status() != 200 || !answer.body().contains(GREETING)) {
          throw new IllegalStateException("the function did not answer: " + answer);
        }
        began = System.nanoTime();
        String direct = run(address, event);
        long rawNanos = System.nanoTime() - began;
        if (!direct.contains(GREETING)) {
          throw new IllegalStateException("the raw handler did not answer: " + direct);
        }
        if (i >= 0) {
          routed[i] = routedNanos;
          raw[i] = rawNanos;
        }
      }
      Arrays.sort(routed);
      Arrays.sort(raw);
      System.out.printf(
          "%nFunction invocation, warm, %d requests each, one at a time, ms     p50     p95     p99%n"
              + "%-62s %7.2f %7.2f %7.2f%n%-62s %7.2f %7.2f %7.2f%n"
              + "added by the router and the invoker: p50 %+.2f ms (target <= 10 ms), p99 %+.2f ms%n",
          REQUESTS,
          "floor: POST /run straight at the container",
          ms(raw, 50),
          ms(raw, 95),
          ms(raw, 99),
          "GET through Caddy and the invoker (an activation recorded)",
          ms(routed, 50),
          ms(routed, 95),
          ms(routed, 99),
          ms(routed, 50) - ms(raw, 50),
          ms(routed, 99) - ms(raw, 99));
    } finally {
      forgetTenant();
      PODMAN.attempt(List.of("rmi", "-f", image));
    }
  }

  /** The raw call: the runtime's own protocol on a new connection. */
  private static String run(String address, String event) throws IOException {
    byte[] body = event.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, 8080), 2000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The sample's handler on the function-node stack image, as build-service's stack builds it. */
  private static String image() throws IOException {
    Path context = Files.createTempDirectory(TestImages.PREFIX);
    Files.copy(Path.of("../samples/function-node/handler.js"), context.resolve("handler.js"));
    Files.writeString(
        context.resolve("Containerfile"),
        """
        FROM localhost/slipway/stacks/function-node:1
        WORKDIR /app
        ENV NODE_ENV=production PORT=8080
        USER 65534
        CMD ["node", "/opt/slipway/function/runtime.js"]
        LABEL io.slipway.function=node
        COPY handler.js /app/handler.js
        """);
    String image = "localhost/" + TestImages.PREFIX + "fn-bench-" + Instant.now().getEpochSecond();
    PODMAN.run(List.of("build", "-q", "-t", image, context.toString()));
    return image;
  }

  /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
  private static double ms(long[] sortedNanos, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(0, rank - 1)] / 1e6;
  }
}
