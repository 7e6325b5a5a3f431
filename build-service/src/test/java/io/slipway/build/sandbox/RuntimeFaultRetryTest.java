package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.process.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build the OCI runtime failed to start (podman's {@code Error:} naming runc before buildah's
 * first step) is started once more; a build that began, or that fails twice, is not. The command is
 * a real process standing in for {@code podman run}: it prints what podman printed when runc 1.1
 * failed so in a CI run, and counts its runs in a file.
 */
class RuntimeFaultRetryTest {

  private static final String RUNC_FAULT =
      "Error: OCI runtime error: runc: runc create failed: unable to start container process:"
          + " Close_Fd sealing memfd copy: device or resource busy";

  /** What podman printed, and how it ended. */
  private static final String FAULT = "echo '" + RUNC_FAULT + "'; exit 126";

  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  @Test
  void aBuildTheRuntimeFailedToStartIsStartedOnceMore() throws Exception {
    CommandRunner.Outcome outcome = run(FAULT, "echo 'STEP 1/2: FROM x'");

    assertThat(outcome.succeeded()).isTrue();
    assertThat(runs()).isEqualTo(2);
    assertThat(log).containsExactly(RUNC_FAULT, SandboxLease.RETRIED, "STEP 1/2: FROM x");
  }

  @Test
  void aRuntimeThatFailsTwiceFailsTheBuildWithItsWords() throws Exception {
    CommandRunner.Outcome outcome = run(FAULT, FAULT);

    assertThat(outcome.exitCode()).isEqualTo(126);
    assertThat(runs()).isEqualTo(2);
    assertThat(log).containsExactly(RUNC_FAULT, SandboxLease.RETRIED, RUNC_FAULT);
  }

  @Test
  void aBuildThatBeganIsNeverRunTwiceWhateverItPrints() throws Exception {
    // a tenant's RUN step can print anything, podman's words included
    CommandRunner.Outcome outcome = run("echo 'STEP 1/2: FROM x'; " + FAULT, "true");

    assertThat(outcome.exitCode()).isEqualTo(126);
    assertThat(runs()).isEqualTo(1);
  }

  @Test
  void anOrdinaryFailureIsNotRetried() throws Exception {
    CommandRunner.Outcome outcome = run("echo 'Error: no such image'; exit 125", "true");

    assertThat(outcome.exitCode()).isEqualTo(125);
    assertThat(runs()).isEqualTo(1);
  }

  /** The stand-in for podman: {@code first} on its first run, {@code later} on the others. */
  private CommandRunner.Outcome run(String first, String later) throws Exception {
    Path count = dir.resolve("runs");
    String script =
        "n=$(( $(cat %1$s 2>/dev/null || echo 0) + 1 )); echo $n > %1$s;".formatted(count)
            + " if [ $n -eq 1 ]; then %s; else %s; fi".formatted(first, later);
    return SandboxLease.onHost(
        new CommandRunner(),
        List.of("sh", "-c", script),
        Duration.ofSeconds(30),
        log::add,
        () -> false,
        dir.resolve("output.log"));
  }

  private int runs() throws Exception {
    return Integer.parseInt(Files.readString(dir.resolve("runs")).trim());
  }
}
