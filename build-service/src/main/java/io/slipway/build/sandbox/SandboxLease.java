package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
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
      return onHost(runner, run.arguments(), timeout, lines, cancelled, output);
    }
    try {
      return BuilderSocket.run(
          socket, run.uidBase(), run.request(), LISTEN, timeout, lines, cancelled);
    } catch (BuilderSocket.NotAnsweringException e) {
      // a build of the tenant ended the builder's request loop; the builder is still its own
      log.warn(
          "Warm builder {}: {}; running the build with podman exec", run.name(), e.getMessage());
      lines.accept(EXEC_FALLBACK);
      return onHost(runner, run.execArguments(), timeout, lines, cancelled, output);
    }
  }

  /**
   * Runs {@code command} ({@code podman run} or {@code podman exec} of the build), once more when
   * the OCI runtime failed to start it: podman's {@code Error:} naming the runtime before buildah's
   * first {@code STEP} line, so nothing of the build ran. runc 1.1 (Debian 12) fails so now and
   * then under load ({@code runc init: ... sealing memfd copy: device or resource busy}), and the
   * owner of the build could do nothing about it. Only once: a runtime that fails twice is the
   * platform's to fix, and its words stay in the build's log.
   */
  static CommandRunner.Outcome onHost(
      CommandRunner runner,
      List<String> command,
      Duration timeout,
      Consumer<String> lines,
      BooleanSupplier cancelled,
      Path output)
      throws IOException, InterruptedException {
    StartWatch watch = new StartWatch(lines);
    CommandRunner.Outcome outcome = runner.run(command, timeout, watch, cancelled, output);
    if (outcome.succeeded() || outcome.timedOut() || outcome.cancelled() || !watch.faulted()) {
      return outcome;
    }
    log.warn("The container runtime failed to start a build; starting it once more");
    lines.accept(RETRIED);
    return runner.run(command, timeout, lines, cancelled, output);
  }

  /**
   * What the build log says before a build the container runtime failed to start is tried again.
   */
  static final String RETRIED =
      "The container runtime failed to start the build (above); starting it once more";

  /** Passes a build's lines on, noting whether the OCI runtime failed before the build began. */
  private static final class StartWatch implements Consumer<String> {

    private static final Pattern RUNTIME_FAULT =
        Pattern.compile("^Error: .*\\b(OCI runtime|runc|crun)\\b", Pattern.CASE_INSENSITIVE);

    private final Consumer<String> lines;
    private boolean began;
    private boolean fault;

    StartWatch(Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public void accept(String line) {
      lines.accept(line);
      began |= line.startsWith("STEP ");
      fault |= !began && RUNTIME_FAULT.matcher(line).find();
    }

    boolean faulted() {
      return fault;
    }
  }
}
