package io.slipway.runtime.deploy;

import io.slipway.kit.web.OpenStreams;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A one-off run's output as Server-Sent Events: one {@code log} event per line from its start,
 * following its container while it runs (on whichever bridge runs it), then one {@code end} event
 * with the run as {@code GET .../runs/{id}} shows it.
 *
 * <p>A run that has ended, or whose container is gone by the time the client comes (removed just as
 * it connects), or a runtime that cannot follow runs, sends the output its row kept instead, once
 * the row is closed. Nothing waits past the run's deadline ({@link OneOffRuns#deadline}): then
 * {@code end} carries the run still open, as the reconciler has yet to close it.
 *
 * <p>podman's follow of a container can end before the last lines it wrote just before exiting
 * reach it; the lines the closed row kept beyond what was followed are sent before {@code end}
 * ({@link #unsent}), so a run's last words are never missing from its stream.
 */
@Component
class RunOutputs {

  private static final Logger log = LoggerFactory.getLogger(RunOutputs.class);

  private static final Duration POLL = Duration.ofMillis(200);

  /** How many of the last lines followed are matched against the kept output's. */
  private static final int MATCHED_LINES = 20;

  private final RunStore store;
  private final RuntimeDriver driver;
  private final OneOffRuns runs;
  private final OpenStreams streams;

  RunOutputs(RunStore store, RuntimeDriver driver, OneOffRuns runs, OpenStreams streams) {
    this.streams = streams;
    this.store = store;
    this.driver = driver;
    this.runs = runs;
  }

  /** Streams {@code run} of {@code ref}'s app to {@code caller} (whose access was checked). */
  SseEmitter stream(AppRef ref, RunStore.Run run, Jwt caller) {
    Instant deadline = runs.deadline(run.startedAt());
    Duration left = Duration.between(Instant.now(), deadline);
    SseEmitter emitter =
        streams.open(caller, Duration.ofMillis(Math.max(left.toMillis(), 0)).plusSeconds(30));
    Following following =
        new Following(
            driver instanceof OneOffCommands commands ? commands : null,
            id -> store.find(ref.appId(), id),
            events(emitter),
            POLL);
    emitter.onCompletion(following::close);
    emitter.onTimeout(following::close);
    emitter.onError(e -> following.close());
    Thread.ofVirtual()
        .name("run-output-" + run.id())
        .start(
            () -> {
              try {
                following.run(ref, run, deadline);
                emitter.complete();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
              } catch (IOException | RuntimeException e) {
                // the client went away, or the store failed: the stream ends here either way
                log.debug("The output of run {} stopped: {}", run.id(), e.getMessage());
                following.close();
                emitter.completeWithError(e);
              }
            });
    return emitter;
  }

  private static Events events(SseEmitter emitter) {
    return new Events() {
      @Override
      public void log(String line) throws IOException {
        synchronized (emitter) {
          emitter.send(SseEmitter.event().name("log").data(line));
        }
      }

      @Override
      public void end(RunStore.Run run) throws IOException {
        synchronized (emitter) {
          emitter.send(SseEmitter.event().name("end").data(run, MediaType.APPLICATION_JSON));
        }
      }
    };
  }

  /** Where a run's output goes: its lines, then its end. */
  interface Events {

    /** One line of output; may be called from the driver's reader thread. */
    void log(String line) throws IOException;

    /** The run as it ended (or as it stood at its deadline); the last event. */
    void end(RunStore.Run run) throws IOException;
  }

  /** One client's stream of one run. */
  static final class Following {

    private final OneOffCommands commands;
    private final Function<String, Optional<RunStore.Run>> rows;
    private final Events events;
    private final Duration poll;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The last {@link #MATCHED_LINES} non-blank lines followed, stripped; and how many in all. */
    private final Deque<String> followed = new ArrayDeque<>();

    private int followedCount;
    private final AtomicReference<LogSource.LogStream> attached = new AtomicReference<>();

    /**
     * @param commands the runtime's one-off commands; null when it runs none (then only the row)
     * @param rows the app's run by id, as the store has it now
     */
    Following(
        OneOffCommands commands,
        Function<String, Optional<RunStore.Run>> rows,
        Events events,
        Duration poll) {
      this.commands = commands;
      this.rows = rows;
      this.events = events;
      this.poll = poll;
    }

    /** Sends the run's lines and its end; returns at once when closed meanwhile. */
    void run(AppRef ref, RunStore.Run run, Instant deadline)
        throws IOException, InterruptedException {
      RunStore.Run now = run;
      if (now.finishedAt() == null && commands != null) {
        now = follow(ref, now, deadline);
      }
      while (now.finishedAt() == null && Instant.now().isBefore(deadline) && !closed.get()) {
        Thread.sleep(poll);
        now = reread(now);
      }
      if (closed.get()) {
        return;
      }
      if (now.output() != null) {
        List<String> kept = now.output().lines().toList();
        List<String> sent;
        int count;
        synchronized (followed) {
          sent = List.copyOf(followed);
          count = followedCount;
        }
        for (String line : unsent(sent, count, kept)) {
          events.log(line);
        }
      }
      events.end(now);
    }

    /**
     * Attaches to the run's container once it has started, and follows it to its end; returns the
     * run as read last.
     */
    private RunStore.Run follow(AppRef ref, RunStore.Run run, Instant deadline)
        throws InterruptedException {
      RunStore.Run now = run;
      while (now.finishedAt() == null && Instant.now().isBefore(deadline) && !closed.get()) {
        Optional<LogSource.LogStream> stream =
            commands.followRun(ref, run.revision(), run.id(), this::line);
        if (stream.isPresent()) {
          attached.set(stream.get());
          if (closed.get()) {
            stream.get().close();
          }
          awaitUntil(stream.get(), deadline);
          return reread(now);
        }
        Thread.sleep(poll);
        now = reread(now);
      }
      return now;
    }

    private RunStore.Run reread(RunStore.Run run) {
      return rows.apply(run.id()).orElse(run);
    }

    private void line(String line) {
      try {
        events.log(line);
        if (!line.isBlank()) {
          synchronized (followed) {
            followed.addLast(line.strip());
            followedCount++;
            if (followed.size() > MATCHED_LINES) {
              followed.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        closed.set(true); // nobody to wait for the row for
        throw new IllegalStateException("the client went away", e);
      }
    }

    /** Stops following: the client left. */
    void close() {
      closed.set(true);
      LogSource.LogStream stream = attached.get();
      if (stream != null) {
        stream.close();
      }
    }
  }

  /**
   * The lines at the end of {@code kept} (a run's output as its row keeps it: its last lines,
   * stripped, the first perhaps cut) that were not followed: those after the last place where the
   * kept lines read as the last of {@code followed} (its last non-blank lines, stripped, of {@code
   * count} in all). All of {@code kept} when nothing was followed, or when nowhere matches.
   */
  static List<String> unsent(List<String> followed, int count, List<String> kept) {
    if (followed.isEmpty()) {
      return kept;
    }
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      if (!kept.get(i).isBlank()) {
        at.add(i);
      }
    }
    for (int end = at.size(); end > 0; end--) {
      int width = Math.min(end, followed.size());
      if (end > count || !matches(kept, at.subList(end - width, end), followed)) {
        continue;
      }
      return end == at.size() ? List.of() : kept.subList(at.get(end), kept.size());
    }
    return kept;
  }

  private static boolean matches(List<String> kept, List<Integer> at, List<String> followed) {
    List<String> last = followed.subList(followed.size() - at.size(), followed.size());
    for (int i = 0; i < at.size(); i++) {
      if (!kept.get(at.get(i)).strip().equals(last.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Waits for {@code stream} to end, closing it at {@code deadline} should it not. */
  private static void awaitUntil(LogSource.LogStream stream, Instant deadline)
      throws InterruptedException {
    Thread watch =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
                    stream.close();
                  } catch (InterruptedException e) {
                    // the stream ended first
                  }
                });
    try {
      stream.await();
    } finally {
      watch.interrupt();
    }
  }
}
