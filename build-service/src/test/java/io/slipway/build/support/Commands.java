package io.slipway.build.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/** Runs host tools (buildah, podman) from tests. */
public final class Commands {

  /** What a command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  private Commands() {}

  public static Result run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed and returns its output, trimmed. */
  public static String ok(String... command) {
    Result result = run(command);
    if (result.exitCode() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + result.output());
    }
    return result.output().trim();
  }

  /**
   * Every image's {@code name:tag} in the host's store. buildah lists by id and then looks each up,
   * so an image another process removes in between (a test running beside this one) fails the
   * listing with "image not known": listed again, as build-service's own cleanup does.
   */
  public static String imageNames() {
    for (int attempt = 1; ; attempt++) {
      Result result = run("buildah", "images", "--format", "{{.Name}}:{{.Tag}}");
      if (result.exitCode() == 0) {
        return result.output().trim();
      }
      if (attempt == 3 || !result.output().contains("image not known")) {
        throw new AssertionError("buildah images failed:\n" + result.output());
      }
    }
  }

  /**
   * Whether a sandbox container the build may be running in exists, running or not: its own ({@code
   * slipway-build-<id>}) or a warm builder of its tenant (labelled with the tenant's id).
   */
  public static boolean sandboxExists(java.util.UUID build, String tenantId) {
    return !ok("podman", "ps", "-aq", "--filter", "name=^slipway-build-" + build + "$").isBlank()
        || !buildersOf(tenantId).isEmpty();
  }

  /** The containers labelled with the tenant's id (its warm builders), by name. */
  public static java.util.List<String> buildersOf(String tenantId) {
    return ok(
            "podman",
            "ps",
            "-a",
            "--format={{.Names}}",
            "--filter",
            "label=io.slipway.tenant=" + tenantId)
        .lines()
        .filter(line -> !line.isBlank())
        .toList();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
