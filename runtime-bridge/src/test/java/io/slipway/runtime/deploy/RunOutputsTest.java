package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How a run's output stream ends in every race with its container and its row: lines from the
 * container while it runs and the row's end after; the kept output when the container is gone; the
 * open row at the deadline; the row alone on a runtime without one-off commands.
 */
class RunOutputsTest {

  private static final AppRef REF = Specs.ref("acme", "web", "api");
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Instant STARTED = Instant.parse("2026-12-05T10:00:00Z");

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicReference<RunStore.Run> row = new AtomicReference<>(open());

  private final RunOutputs.Events sink =
      new RunOutputs.Events() {
        @Override
        public void log(String line) {
          events.add("log " + line);
        }

        @Override
        public void end(RunStore.Run run) {
          events.add("end " + run.exitCode() + (run.finishedAt() == null ? " open" : ""));
        }
      };

  private static RunStore.Run open() {
    return new RunStore.Run(
        "abcdefgh2345", 1, "c", "alice", STARTED, null, null, false, null, null, null);
  }

  private static RunStore.Run ended(int exitCode, String output) {
    return new RunStore.Run(
        "abcdefgh2345",
        1,
        "c",
        "alice",
        STARTED,
        STARTED.plusSeconds(2),
        exitCode,
        false,
        output,
        2000L,
        null);
  }

  private RunOutputs.Following following(OneOffCommands commands) {
    return new RunOutputs.Following(commands, id -> Optional.of(row.get()), sink, POLL);
  }

  private static Instant inAMinute() {
    return Instant.now().plusSeconds(60);
  }

  @Test
  void aRunThatEndedSendsItsKeptOutputThenItsEndWithoutAskingTheRuntime() throws Exception {
    Containers containers = new Containers(List.of());
    row.set(ended(3, "one\ntwo"));

    following(containers).run(REF, row.get(), inAMinute());

    assertThat(events).containsExactly("log one", "log two", "end 3");
    assertThat(containers.asked).hasValue(0);
  }

  @Test
  void aRunningRunSendsItsContainersLinesOnceItStartedThenTheClosedRowsEnd() throws Exception {
    // not started on the first two asks; then its lines, then it exits and its row is closed
    Containers containers =
        new Containers(List.of("first", "second"))
            .startedAfter(2)
            .then(() -> row.set(ended(5, "first\nsecond")));

    following(containers).run(REF, open(), inAMinute());

    assertThat(events).containsExactly("log first", "log second", "end 5");
    assertThat(containers.asked).hasValue(3);
  }

  @Test
  void linesTheFollowMissedAtTheContainersExitAreSentFromTheClosedRowBeforeItsEnd()
      throws Exception {
    // podman's follow ended before the last line (written to stderr just before exit) reached it
    Containers containers =
        new Containers(List.of("from-the-form"))
            .then(() -> row.set(ended(2, "from-the-form\ndone")));

    following(containers).run(REF, open(), inAMinute());

    assertThat(events).containsExactly("log from-the-form", "log done", "end 2");
  }

  @Test
  void theUnsentLinesAreThoseAfterWhereTheKeptOutputReadsAsTheLastFollowed() {
    List<String> kept = List.of("ab", "", "  x", "y", "x", "y  ", "z");
    // followed to the end (the row strips the output; blank lines do not count)
    assertThat(RunOutputs.unsent(List.of("ab", "x", "y", "x", "y", "z"), 6, kept)).isEmpty();
    // the last two lost: "y" and "x" repeat, but no more was matched than was followed
    assertThat(RunOutputs.unsent(List.of("ab", "x", "y", "x"), 4, kept))
        .containsExactly("y  ", "z");
    assertThat(RunOutputs.unsent(List.of("ab"), 1, kept))
        .containsExactly("  x", "y", "x", "y  ", "z");
    // the kept output is the last bytes: its first line may be cut, and the follow saw more
    assertThat(RunOutputs.unsent(List.of("0", "1", "2"), 3000, List.of("...12345", "0", "1", "2")))
        .isEmpty();
    assertThat(RunOutputs.unsent(List.of("9", "0", "1"), 3000, List.of("5", "9", "0", "1", "2")))
        .containsExactly("2");
    // nothing followed, or nothing alike: the kept output is what the run wrote
    assertThat(RunOutputs.unsent(List.of(), 0, kept)).isEqualTo(kept);
    assertThat(RunOutputs.unsent(List.of("other"), 1, List.of("a", "b"))).containsExactly("a", "b");
  }

  @Test
  void aRunWhoseContainerIsGoneSendsTheOutputItsRowKeptOnceClosed() throws Exception {
    Containers containers = new Containers(List.of()).startedAfter(Integer.MAX_VALUE);
    Thread.ofVirtual()
        .start(
            () -> {
              sleep(Duration.ofMillis(100));
              row.set(ended(0, "kept"));
            });

    following(containers).run(REF, open(), inAMinute());

    assertThat(events).containsExactly("log kept", "end 0");
  }

  @Test
  void aRunLeftOpenEndsTheStreamAtItsDeadlineWithTheOpenRow() throws Exception {
    Containers containers = new Containers(List.of()).startedAfter(Integer.MAX_VALUE);
    Instant before = Instant.now();

    following(containers).run(REF, open(), Instant.now().plusMillis(200));

    assertThat(events).containsExactly("end null open");
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRuntimeWithoutOneOffCommandsSendsTheRowAlone() throws Exception {
    row.set(ended(0, "not run: this runtime does not run one-off commands"));

    following(null).run(REF, open(), inAMinute());

    assertThat(events)
        .containsExactly("log not run: this runtime does not run one-off commands", "end 0");
  }

  @Test
  void aClosedStreamSendsNothingMore() throws Exception {
    RunOutputs.Following following =
        following(new Containers(List.of()).startedAfter(Integer.MAX_VALUE));
    following.close();

    following.run(REF, open(), inAMinute());

    assertThat(events).isEmpty();
  }

  /**
   * A runtime whose run container starts after some asks, then writes {@code lines} and exits (the
   * stream ends; {@code exited} runs).
   */
  private static final class Containers implements OneOffCommands {

    private final List<String> lines;
    private final AtomicInteger asked = new AtomicInteger();
    private int startsAfter;
    private Runnable exited = () -> {};

    Containers(List<String> lines) {
      this.lines = new ArrayList<>(lines);
    }

    Containers startedAfter(int asks) {
      this.startsAfter = asks;
      return this;
    }

    Containers then(Runnable exited) {
      this.exited = exited;
      return this;
    }

    @Override
    public Optional<LogSource.LogStream> followRun(
        AppRef ref, int revision, String runId, Consumer<String> sink) {
      if (asked.incrementAndGet() <= startsAfter) {
        return Optional.empty();
      }
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    lines.forEach(sink);
                    exited.run();
                  });
      return Optional.of(
          new LogSource.LogStream() {
            @Override
            public void await() throws InterruptedException {
              reader.join();
            }

            @Override
            public void close() {}
          });
    }

    @Override
    public OneOffResult runOnce(AppSpec spec, String phase, String command, Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public OneOffResult run(
        AppSpec spec, String runId, String command, Duration timeout, int outputLines) {
      throw new UnsupportedOperationException();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
