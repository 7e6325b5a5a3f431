package io.slipway.runtime.podman;

import java.time.Duration;
import java.util.List;

/**
 * The processes of a container as {@code podman top} lists them (its process namespace: a pod's
 * other containers too when the pod shares one), and how many orphans {@link
 * TestImages#orphanSpawner()} made so far.
 */
public final class ProcessTable {

  private static final PodmanRunner PODMAN = new PodmanRunner(Duration.ofSeconds(60));
  private static final int ATTEMPTS = 10;

  private ProcessTable() {}

  /** Processes of the container in state Z: exited, never waited for. */
  public static long zombies(String container) {
    return states(container).stream().filter(state -> state.equals("Z")).count();
  }

  public static int processes(String container) {
    return states(container).size();
  }

  /** How many orphans the spawner in the container made so far (0 before its first). */
  public static int spawned(String container) {
    String count =
        PODMAN
            .attempt(List.of("exec", container, "/bin/busybox", "cat", "/tmp/spawned"))
            .stdout()
            .strip();
    return count.matches("\\d+") ? Integer.parseInt(count) : 0;
  }

  /**
   * The state of each process. {@code podman top} fails when a process it listed is gone before it
   * read it, which the spawner's short-lived ones often are: it is asked again.
   */
  private static List<String> states(String container) {
    List<String> args = List.of("top", container, "pid", "state");
    PodmanRunner.Result result = PODMAN.attempt(args);
    for (int attempt = 1; !result.succeeded() && attempt < ATTEMPTS; attempt++) {
      if (!result.stderr().contains("no such process")) {
        break;
      }
      result = PODMAN.attempt(args);
    }
    if (!result.succeeded()) {
      throw new PodmanRunner.PodmanException(result);
    }
    return result
        .stdout()
        .lines()
        .skip(1)
        .map(line -> line.strip().split("\\s+"))
        .filter(fields -> fields.length == 2)
        .map(fields -> fields[1])
        .toList();
  }
}
