package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An optional ability of a {@link RuntimeDriver}: runs one command to its end in a one-off
 * container of a revision's image (the release phase, {@code app.json}'s deploy scripts), with the
 * revision's environment, secrets, network, limits and hardening, and no route.
 *
 * <p><b>Contract.</b> Synchronous: returns once the command has exited, or once {@code timeout} has
 * passed (the container is then killed). The container is removed before returning, whatever
 * happened, so a second call with the same name starts afresh. Not idempotent: each call runs the
 * command once more.
 */
public interface OneOffCommands {

  /**
   * Runs {@code command} with {@code /bin/sh -c} in a container named after {@code phase} of the
   * revision {@code spec}.
   *
   * @param phase a process type name ({@code release}, {@code predeploy}, {@code postdeploy})
   * @throws RuntimeException when the runtime refused to create or start the container
   */
  OneOffResult runOnce(AppSpec spec, String phase, String command, Duration timeout);

  /**
   * Runs a developer's {@code command} (a one-off run) as {@link #runOnce} runs a release, in a
   * container of its own named after {@code runId}, keeping its last {@code outputLines} lines.
   * Unlike a release it runs while nothing holds the app, so the container carries its run id and
   * when it is overdue ({@code timeout} and a grace): the driver's own passes leave it alone until
   * then and remove it after, which is what cleans up after a bridge that stopped mid-run.
   *
   * @param runId lower-case letters and digits, unique per run
   * @throws RuntimeException when the runtime refused to create or start the container
   */
  OneOffResult run(AppSpec spec, String runId, String command, Duration timeout, int outputLines);

  /**
   * Streams what the developer's run {@code runId} of the revision has written since it started
   * (stdout and stderr, one {@code sink} call per line), then each line as it is written, until its
   * container exits or is removed, or the stream is closed. Asynchronous: returns at once. A second
   * call streams the output from the start once more.
   *
   * @return empty when the run has no started container: not started yet, or ended and removed
   *     already (its caller then waits, or reads the output {@link #run} kept)
   */
  Optional<LogSource.LogStream> followRun(
      AppRef ref, int revision, String runId, Consumer<String> sink);

  /**
   * How a one-off command ended.
   *
   * @param exitCode its exit code; null when it timed out
   * @param output its last lines of output (stdout and stderr), stripped
   */
  record OneOffResult(Integer exitCode, String output) {

    /** Whether the command exited with 0. */
    public boolean succeeded() {
      return exitCode != null && exitCode == 0;
    }
  }
}
