package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container one build runs in: its tenant's warm builder, lent to it alone until it ends
 * ({@link WarmBuilders}), or a container of its own ({@code podman run --rm}).
 *
 * @param run the build, in that container
 * @param tenant the tenant's id
 * @param socket the warm builder's control socket on the host; null: a container of its own
 */
public record SandboxLease(SandboxRun run, String tenant, Path socket) {

  private static final Logger log = LoggerFactory.getLogger(SandboxLease.class);

  /** How long a builder started just now may take to listen on its socket. */
  private static final Duration LISTEN = Duration.ofSeconds(10);

  /** What the build log says when a warm builder's socket did not answer. */
  public static final String EXEC_FALLBACK =
      "The warm builder did not answer on its socket; running the build in it with podman exec";

  /** Whether the container is a warm builder, kept for the tenant's next build. */
  public boolean warm() {
    return socket != null;
  }

  /**
   * Runs the build and returns how it ended: in the warm builder through its control socket (or
   * with {@code podman exec} if nothing of the tenant answers there), else with {@code podman run
   * --rm}. {@code output} receives the command's output when a command runs on the host.
   */
  public CommandRunner.Outcome run(
      CommandRunner runner,
      Duration timeout,
      Consumer<String> lines,
      BooleanSupplier cancelled,
      Path output)
      throws IOException, InterruptedException {
    if (!warm()) {
      return runner.run(run.arguments(), timeout, lines, cancelled, output);
    }
    try {
      return BuilderSocket.run(
          socket, run.uidBase(), run.request(), LISTEN, timeout, lines, cancelled);
    } catch (BuilderSocket.NotAnsweringException e) {
      // a build of the tenant ended the builder's request loop; the builder is still its own
      log.warn(
          "Warm builder {}: {}; running the build with podman exec", run.name(), e.getMessage());
      lines.accept(EXEC_FALLBACK);
      return runner.run(run.execArguments(), timeout, lines, cancelled, output);
    }
  }
}
