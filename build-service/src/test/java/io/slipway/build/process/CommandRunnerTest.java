package io.slipway.build.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short-command runner against real processes. */
class CommandRunnerTest {

  private final CommandRunner runner = new CommandRunner();

  @Test
  void outputIsWhatTheCommandPrintedTrimmed() throws Exception {
    assertThat(runner.output(List.of("sh", "-c", "echo one; echo two >&2"), Duration.ofSeconds(10)))
        .isEqualTo("one\ntwo");
  }

  @Test
  void aFailedCommandFailsWithItsOutput() {
    assertThatThrownBy(
            () -> runner.output(List.of("sh", "-c", "echo broken; exit 3"), Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed: broken");
  }

  @Test
  void aCommandWritingToAFileRunsInThatFilesDirectory(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();

    CommandRunner.Outcome outcome =
        runner.run(
            List.of("sh", "-c", "touch left-behind; pwd"),
            Duration.ofSeconds(10),
            lines::add,
            () -> false,
            dir.resolve("output.log"));

    assertThat(outcome.succeeded()).isTrue();
    assertThat(lines).containsExactly(dir.toRealPath().toString());
    assertThat(dir.resolve("left-behind")).exists();
  }

  @Test
  void aCommandThatKeepsItsOutputOpenIsStoppedAtItsTimeout() {
    long started = System.nanoTime();
    // a child that holds the pipe open would keep a read-everything-first runner waiting
    assertThatThrownBy(
            () ->
                runner.output(
                    List.of("sh", "-c", "echo started; sleep 60 & sleep 60"),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("took longer than PT1S");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(CommandRunner.GRACE.plusSeconds(20));
  }
}
