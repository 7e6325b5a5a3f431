package io.slipway.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A host of a test's own for builds to reach: a network namespace behind a veth pair, so that its
 * servers are neither the host's loopback nor one of its addresses. Its end of the pair has a
 * public (documentation) address and addresses on a private /24 that a test may put on the build
 * egress allow-list or leave off it. Its addresses are known from construction (for a test's
 * properties); {@link #open()} makes it with {@code ip} (the tests run as root) and {@link
 * #close()} removes it and stops what it serves.
 */
public final class NamespaceHost implements AutoCloseable {

  private final String namespace;
  private final String hostEnd;
  private final String nsEnd;
  private final int block;
  private final int privateHosts;
  private final List<Process> servers = new ArrayList<>();

  /**
   * A host (not made yet) with {@code privateHosts} addresses on the private net ({@link
   * #privateAddress(int)} 2, 3, ...).
   *
   * @param tag a few letters (at most 6) that name the namespace and interfaces, e.g. {@code
   *     slwegr}
   */
  public NamespaceHost(String tag, int privateHosts) {
    String suffix =
        HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    this.namespace = tag + "-" + suffix;
    this.hostEnd = tag + "h" + suffix;
    this.nsEnd = tag + "n" + suffix;
    this.block = freeBlock();
    this.privateHosts = privateHosts;
  }

  /**
   * A block no interface of the host has an address in: two hosts on the same addresses (another
   * test's, or one a killed run left behind) would take each other's connections.
   */
  private static int freeBlock() {
    String addresses;
    try {
      Process ip = new ProcessBuilder("ip", "-o", "-4", "addr", "show").start();
      addresses = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ip.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<Integer> free = new ArrayList<>();
    for (int block = 4; block < 240; block += 4) {
      if (!addresses.contains(" 198.51.100." + (block + 1) + "/")
          && !addresses.contains(" 10.213." + (block + 1) + ".")) {
        free.add(block);
      }
    }
    if (free.isEmpty()) {
      throw new IllegalStateException("every test address block is in use: " + addresses);
    }
    return free.get(ThreadLocalRandom.current().nextInt(free.size()));
  }

  /** Makes the namespace and its veth pair. */
  public void open() {
    ok("ip", "netns", "add", namespace);
    ok("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd);
    ok("ip", "link", "set", nsEnd, "netns", namespace);
    ok("ip", "addr", "add", hostEndAddress() + "/30", "dev", hostEnd);
    ok("ip", "addr", "add", privateAddress(1) + "/24", "dev", hostEnd);
    ok("ip", "link", "set", hostEnd, "up");
    inside("ip", "addr", "add", publicAddress() + "/30", "dev", nsEnd);
    for (int i = 2; i < 2 + privateHosts; i++) {
      inside("ip", "addr", "add", privateAddress(i) + "/24", "dev", nsEnd);
    }
    inside("ip", "link", "set", nsEnd, "up");
    inside("ip", "link", "set", "lo", "up");
  }

  /** The namespace's public (documentation range) address. */
  public String publicAddress() {
    return "198.51.100." + (block + 2);
  }

  /**
   * The host's end of the veth, on the public address's /30: requests from the proxy come from it.
   */
  public String hostEndAddress() {
    return "198.51.100." + (block + 1);
  }

  /** An address on the private /24: 1 is the host's end, 2 and up the namespace's. */
  public String privateAddress(int host) {
    return "10.213." + (block + 1) + "." + host;
  }

  /** Runs {@code command} in the namespace; it must succeed. */
  public void inside(String... command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(List.of(command));
    ok(all.toArray(String[]::new));
  }

  /**
   * Starts {@code python3 script args...} in the namespace, its output to {@code output}, and waits
   * until it accepts connections on {@code address}:80.
   */
  public void serve(String script, Path dir, String address, String... args) throws IOException {
    Path file = Files.writeString(dir.resolve("server-" + servers.size() + ".py"), script);
    List<String> command =
        new ArrayList<>(
            List.of("ip", "netns", "exec", namespace, "/usr/bin/python3", file.toString()));
    command.addAll(List.of(args));
    servers.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server-" + servers.size() + ".out").toFile())
            .start());
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, 80), 500);
                return true;
              }
            });
  }

  @Override
  public void close() {
    servers.forEach(Process::destroyForcibly);
    run("ip", "netns", "del", namespace);
    run("ip", "link", "del", hostEnd);
  }

  private static void ok(String... command) {
    int exit = run(command);
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
    }
  }

  /** Runs a command on the host, its output discarded; returns its exit status. */
  private static int run(String... command) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
