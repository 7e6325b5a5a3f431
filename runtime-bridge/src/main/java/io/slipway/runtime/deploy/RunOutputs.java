package io.slipway.runtime.deploy;

import io.slipway.kit.web.OpenStreams;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
 */
@Component
class RunOutputs {

  private static final Logger log = LoggerFactory.getLogger(RunOutputs.class);

  private static final Duration POLL = Duration.ofMillis(200);

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
    private final AtomicBoolean streamed = new AtomicBoolean();
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
      if (!streamed.get() && now.output() != null) {
        for (String line : now.output().lines().toList()) {
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
        streamed.set(true);
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
