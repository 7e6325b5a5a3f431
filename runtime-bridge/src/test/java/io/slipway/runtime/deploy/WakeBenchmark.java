package io.slipway.runtime.deploy;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.TestKeycloak;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 22's wake targets, measured in one run against their floor: an app scaled to zero (its
 * container stopped, its host held by the activator) gets one request through the real Caddy; the
 * time to its 200 is set beside the raw tools doing the same work on the same stopped container
 * ({@code podman start}, {@code podman inspect} for its address, then GETs straight at it until the
 * first 200). Rounds alternate between the two, so a busy moment of the machine hits both. Three
 * samples, each on its stack's runtime image as build-service makes them: the static stack (busybox
 * httpd), the Node sample's {@code server.js} on the node runtime (its one dependency, {@code ms},
 * replaced by a one-line function: nothing is installed here) and the Java sample's {@code Hello}
 * as a jar on the Java runtime with the stack's command. Then the same with a paused stage: the
 * container frozen rather than stopped, against {@code podman unpause} and GETs until the first
 * 200. Prints its figures and the targets; asserts nothing about time.
 *
 * <p>{@code ./slipway bench -pl runtime-bridge -Dtest=WakeBenchmark}.
 */
@Tag("benchmark")
class WakeBenchmark extends ApiFixture {

  private static final int ROUNDS = 10;
  private static final Duration GIVE_UP = Duration.ofSeconds(20);
  private static final Pattern RESUMED =
      Pattern.compile("in (\\d+) ms \\(resume (\\d+) ms, routing (\\d+) ms\\)");
  private static final Pattern WOKEN =
      Pattern.compile("in (\\d+) ms \\(start (\\d+) ms, health check (\\d+) ms\\)");

  @Autowired ScaleToZero scaleToZero;

  private String username;
  private String password;

  private Instant clock = Instant.now();
  private final List<String> built = new ArrayList<>();

  @Test
  void wakeFromZeroAgainstRawPodmanStart() throws Exception {
    String username = "alice-" + suffix;
    password = TestKeycloak.createUser(username);
    this.username = username;
    tenantWithSite(alice(), tenant);
    tenantService(
        alice(),
        "PUT",
        "/api/v1/tenants/" + tenant + "/projects/web/quota",
        "{\"cpuMillicores\":1000}",
        200);
    List<String> report = new ArrayList<>();
    try {
      report.addAll(
          measure("static", TestImages.httpd("wake-static", "static\n"), "static\n", 500));
      report.addAll(measure("node", nodeImage(), "Hello from node-app on Slipway\n", 500));
      report.addAll(measure("java", javaImage(), "Hello from java-maven-app on Slipway\n", 800));
    } finally {
      forgetTenant();
      built.forEach(image -> PODMAN.attempt(List.of("rmi", "-f", image)));
    }
    System.out.printf(
        "%nWake from zero (stopped or paused -> first 200), %d rounds each, ms          p50     p95"
            + "     max%n%s%nAnchors (published, not measured here): Knative cold start 2-18 s,"
            + " OpenFaaS 1.7-2.6 s. Once awake, requests go from Caddy to the instance as for any"
            + " app (RouterBenchmark measures that path).%n",
        ROUNDS, String.join("\n", report));
  }

  private List<String> measure(String sample, String image, String body, int targetP95)
      throws Exception {
    deployWithRoom(alice(), image);
    bridge(
        alice(), "PUT", appPath + "/scale-to-zero", "{\"enabled\":true,\"idleAfter\":\"1m\"}", 200);
    requireAnswer(body);
    long[] raw = new long[ROUNDS];
    long[] routed = new long[ROUNDS];
    long[] start = new long[ROUNDS];
    long[] health = new long[ROUNDS];
    for (int round = -1; round < ROUNDS; round++) { // round -1 warms both paths up
      toZero();
      long rawMillis = rawStart(containers(true).getFirst(), body);
      toZero();
      long began = System.nanoTime();
      HostRequest.Reply answer = wakeRequest();
      long routedMillis = (System.nanoTime() - began) / 1_000_000;
      if (answer.status() != 200 || !answer.body().contains(body)) {
        throw new IllegalStateException(sample + " did not wake: " + answer);
      }
      if (round >= 0) {
        raw[round] = rawMillis;
        routed[round] = routedMillis;
        Matcher woken =
            WOKEN.matcher(
                appEvents(alice(), ScaleToZero.WOKEN).getFirst().path("message").asString());
        if (!woken.find()) {
          throw new IllegalStateException("no Woken event after the wake of " + sample);
        }
        start[round] = Long.parseLong(woken.group(2));
        health[round] = Long.parseLong(woken.group(3));
      }
    }
    List<String> rows =
        new ArrayList<>(
            List.of(
                row(sample + ": floor, podman start + inspect + first 200 direct", raw, ""),
                row(
                    sample + ": through Caddy and the activator",
                    routed,
                    target(routed, targetP95) + " (" + ratio(routed, raw) + "x the floor at p50)"),
                row("  of which the bridge's start of the container", start, ""),
                row("  of which its health check until healthy", health, "")));
    rows.addAll(measurePaused(sample, body));
    // awake and opted out again, as the next sample's deploy expects the app
    bridge(alice(), "PUT", appPath + "/scale-to-zero", "{\"enabled\":false}", 200);
    return rows;
  }

  /**
   * The paused stage: the app's container frozen rather than stopped; one request through Caddy
   * against {@code podman unpause} and GETs straight at the container until the first 200.
   */
  private List<String> measurePaused(String sample, String body) throws Exception {
    bridge(
        alice(),
        "PUT",
        appPath + "/scale-to-zero",
        "{\"enabled\":true,\"idleAfter\":\"1m\",\"pausedFor\":\"24h\"}",
        200);
    long[] raw = new long[ROUNDS];
    long[] routed = new long[ROUNDS];
    long[] resume = new long[ROUNDS];
    long[] routing = new long[ROUNDS];
    for (int round = -1; round < ROUNDS; round++) {
      String container = toPaused();
      String address = address(container);
      long began = System.nanoTime();
      PODMAN.run(List.of("unpause", container));
      long deadline = began + GIVE_UP.toNanos();
      while (!answers(address, body)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(container + " did not answer at " + address);
        }
        Thread.onSpinWait();
      }
      long rawMillis = (System.nanoTime() - began) / 1_000_000;
      PODMAN.run(List.of("pause", container));
      began = System.nanoTime();
      HostRequest.Reply answer = wakeRequest();
      long routedMillis = (System.nanoTime() - began) / 1_000_000;
      if (answer.status() != 200 || !answer.body().contains(body)) {
        throw new IllegalStateException(sample + " did not resume: " + answer);
      }
      if (round >= 0) {
        raw[round] = rawMillis;
        routed[round] = routedMillis;
        Matcher resumed =
            RESUMED.matcher(
                appEvents(alice(), ScaleToZero.WOKEN).getFirst().path("message").asString());
        if (!resumed.find()) {
          throw new IllegalStateException("no Resumed event after the resume of " + sample);
        }
        resume[round] = Long.parseLong(resumed.group(2));
        routing[round] = Long.parseLong(resumed.group(3));
      }
    }
    return List.of(
        row(sample + ": floor, podman unpause + first 200 direct", raw, ""),
        row(
            sample + ": paused, through Caddy and the activator",
            routed,
            target(routed, 100) + " (" + ratio(routed, raw) + "x the floor at p50)"),
        row("  of which the bridge's resume of the container", resume, ""),
        row("  of which routing it again", routing, ""));
  }

  /** A fresh token of the benchmark's user: a run on a loaded machine outlasts one. */
  private String alice() {
    return TestKeycloak.userToken(username, password);
  }

  /** One request through Caddy, given as long as the activator holds it (a loaded machine). */
  private HostRequest.Reply wakeRequest() throws IOException {
    return HostRequest.get(CADDY.httpPort(), siteHost(), "/", null, Duration.ofSeconds(40));
  }

  /** Pauses the app with the test's own clock; the paused container's name. */
  private String toPaused() {
    for (int pass = 0; pass < 4 && !"paused".equals(state()); pass++) {
      clock = clock.plusSeconds(61);
      scaleToZero.pass(clock);
    }
    if (!"paused".equals(state())) {
      throw new IllegalStateException("the app was not paused: " + containers(true));
    }
    return containers(true).getFirst();
  }

  private String state() {
    List<String> all = containers(true);
    return all.size() != 1
        ? "not one container: " + all
        : PODMAN
            .run(List.of("inspect", "--format", "{{.State.Status}}", all.getFirst()))
            .stdout()
            .strip();
  }

  /** Sends the app to zero with the test's own clock: two idle passes a minute apart. */
  private void toZero() {
    for (int pass = 0; pass < 4 && !containers().isEmpty(); pass++) {
      clock = clock.plusSeconds(61);
      scaleToZero.pass(clock);
    }
    if (!containers().isEmpty() || containers(true).size() != 1) {
      throw new IllegalStateException("the app did not go to zero: " + containers(true));
    }
  }

  /** The raw tools on the app's stopped container; stops it again afterwards. */
  private long rawStart(String container, String body) throws Exception {
    long began = System.nanoTime();
    PODMAN.run(List.of("start", container));
    String address = address(container);
    long deadline = began + GIVE_UP.toNanos();
    while (!answers(address, body)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(container + " did not answer at " + address);
      }
      Thread.onSpinWait();
    }
    long millis = (System.nanoTime() - began) / 1_000_000;
    PODMAN.run(List.of("stop", "-t", "0", container));
    return millis;
  }

  private static boolean answers(String address, String body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, 8080), 200);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return response.startsWith("HTTP/1.1 200") && response.contains(body);
    } catch (IOException notYet) {
      return false;
    }
  }

  private void requireAnswer(String body) throws Exception {
    Instant deadline = Instant.now().plus(GIVE_UP);
    HostRequest.Answer answer;
    while (!(answer = HostRequest.get(CADDY.httpPort(), siteHost(), "/")).body().contains(body)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the deployed app answers " + answer + " rather than " + body.strip());
      }
      Thread.sleep(50);
    }
  }

  private String nodeImage() throws IOException {
    Path context = Files.createTempDirectory(TestImages.PREFIX);
    String server = Files.readString(Path.of("../samples/node-app/server.js"));
    String withoutDependency =
        server.replace("const ms = require(\"ms\");", "const ms = (millis) => millis + \"ms\";");
    if (withoutDependency.equals(server)) {
      throw new IllegalStateException("samples/node-app/server.js no longer requires ms as before");
    }
    Files.writeString(context.resolve("server.js"), withoutDependency);
    return build(
        context,
        "wake-node",
        """
        FROM localhost/slipway/stacks/node-runtime:1
        COPY server.js /app/server.js
        USER 65534
        ENV PORT=8080
        CMD ["node", "/app/server.js"]
        """);
  }

  private String javaImage() throws IOException {
    Path context = Files.createTempDirectory(TestImages.PREFIX);
    Path classes = Files.createDirectories(context.resolve("classes"));
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "--release",
                "17",
                "-d",
                classes.toString(),
                "../samples/java-maven-app/src/main/java/io/slipway/sample/Hello.java");
    if (compiled != 0) {
      throw new IllegalStateException("the Java sample did not compile");
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.slipway.sample.Hello");
    try (JarOutputStream jar =
        new JarOutputStream(Files.newOutputStream(context.resolve("app.jar")), manifest)) {
      jar.putNextEntry(new JarEntry("io/slipway/sample/Hello.class"));
      jar.write(Files.readAllBytes(classes.resolve("io/slipway/sample/Hello.class")));
      jar.closeEntry();
    }
    // the command JavaMavenStack gives the image it builds
    return build(
        context,
        "wake-java",
        """
        FROM localhost/slipway/stacks/java-runtime:1
        COPY app.jar /app/app.jar
        USER 65534
        ENV PORT=8080
        CMD ["java", "-XX:+UseSerialGC", "-jar", "/app/app.jar"]
        """);
  }

  private String build(Path context, String tag, String containerfile) throws IOException {
    Files.writeString(context.resolve("Containerfile"), containerfile);
    String image = "localhost/" + TestImages.PREFIX + tag;
    PODMAN.run(List.of("build", "-q", "-t", image, context.toString()));
    built.add(image);
    return image;
  }

  private static String row(String what, long[] millis, String suffix) {
    long[] sorted = millis.clone();
    java.util.Arrays.sort(sorted);
    return "%-66s %7d %7d %7d%s"
        .formatted(
            what,
            percentile(sorted, 50),
            percentile(sorted, 95),
            sorted[sorted.length - 1],
            suffix);
  }

  private static String ratio(long[] measured, long[] floor) {
    long[] a = measured.clone();
    long[] b = floor.clone();
    java.util.Arrays.sort(a);
    java.util.Arrays.sort(b);
    return "%.2f".formatted((double) percentile(a, 50) / Math.max(1, percentile(b, 50)));
  }

  /** The target beside a row, marked where this run's p95 missed it. */
  private static String target(long[] millis, int targetP95) {
    long[] sorted = millis.clone();
    java.util.Arrays.sort(sorted);
    return "  target p95 <= "
        + targetP95
        + (percentile(sorted, 95) <= targetP95 ? ": met" : ": MISSED");
  }

  /** Nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
