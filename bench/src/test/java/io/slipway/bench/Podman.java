package io.slipway.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Cleans up after the whole loop: what runtime-bridge and build-service made under a prefix. */
final class Podman {

  private Podman() {}

  static void removeEverythingNamed(String prefix) {
    String containers = run("podman", "ps", "-aq", "--filter", "name=^" + prefix);
    if (!containers.isBlank()) {
      run(concat(List.of("podman", "rm", "-f", "-t", "0"), containers.split("\\s+")));
    }
    String networks = run("podman", "network", "ls", "-q", "--filter", "name=^" + prefix);
    if (!networks.isBlank()) {
      run(concat(List.of("podman", "network", "rm", "-f"), networks.split("\\s+")));
    }
    String images =
        run("podman", "images", "-q", "--filter", "reference=localhost/" + prefix + "images/*");
    if (!images.isBlank()) {
      run(concat(List.of("podman", "rmi", "-f"), images.split("\\s+")));
    }
  }

  /**
   * Removes the tag; the image goes with its last tag (never -f: floors running at once share it).
   */
  static void removeImage(String image) {
    run("podman", "rmi", image);
  }

  private static String[] concat(List<String> head, String[] tail) {
    var all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      process.waitFor(60, TimeUnit.SECONDS);
      return output.trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
