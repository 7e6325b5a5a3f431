package io.slipway.kit.web;

import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The event streams (followed logs, a build's log, a run's output) each caller holds open on this
 * replica, at most {@code perCaller} at once. A stream holds a connection and a reader of the
 * runtime or the database until it ends, so without a bound one caller (a script, a tab opened many
 * times) could hold them all; one more is answered 429 with {@code Retry-After}. A caller is its
 * username, so a personal access token counts as its owner, and the portal's streams, sent with the
 * user's token, count as the user's.
 *
 * <p>Every open stream gets a comment line every {@link #HEARTBEAT}: a client that went away
 * without a word (a closed tab, a killed {@code logs -f}) is noticed at the next write, so a quiet
 * app's stream does not keep its place for the hour its emitter may live. Whoever sends on an
 * emitter from here on sends while holding its lock ({@code synchronized (emitter)}), as the
 * heartbeat does.
 */
public final class OpenStreams implements AutoCloseable {

  /** When a refused caller may try again: streams of followed logs end when their tabs close. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(10);

  /** How often an open stream gets a comment line that shows whether its client is still there. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private static final ScheduledExecutorService HEARTBEATS =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("stream-heartbeats").daemon().factory());

  private final int perCaller;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();
  private final ScheduledFuture<?> heartbeat;

  public OpenStreams(int perCaller) {
    if (perCaller < 1) {
      throw new IllegalArgumentException("perCaller must be at least 1");
    }
    this.perCaller = perCaller;
    heartbeat =
        HEARTBEATS.scheduleWithFixedDelay(
            this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the heartbeats (the streams end with the server that holds them). */
  @Override
  public void close() {
    heartbeat.cancel(false);
  }

  /**
   * An emitter for one more stream of {@code caller}, counted until it completes, times out or
   * fails. Open it as the last step that can fail before the controller returns it: an emitter
   * never returned never ends, and its place would stay taken.
   *
   * @throws Problem 429 when the caller already holds {@code perCaller} streams
   */
  public SseEmitter open(Jwt caller, Duration timeout) {
    String who = callerOf(caller);
    boolean[] granted = {false};
    open.compute(
        who,
        (name, held) -> {
          int count = held == null ? 0 : held;
          if (count >= perCaller) {
            return held;
          }
          granted[0] = true;
          return count + 1;
        });
    if (!granted[0]) {
      throw Problem.tooMany(
              "too-many-streams",
              "You have "
                  + perCaller
                  + " streams open (followed logs or outputs) on this service, the most one user"
                  + " may hold; close one (another tab, a `logs -f`) and try again",
              RETRY_AFTER)
          .with("limit", perCaller);
    }
    Counted emitter = new Counted(timeout, who);
    // ended by the container: the client left, or the emitter timed out
    emitter.onCompletion(emitter::release);
    emitter.onTimeout(emitter::release);
    emitter.onError(error -> emitter.release());
    emitters.add(emitter);
    try {
      // the response starts at once (its headers go with the first write), whatever comes next
      emitter.send(SseEmitter.event().comment("open"));
    } catch (IOException e) {
      emitter.release();
      throw new UncheckedIOException(e);
    }
    return emitter;
  }

  /**
   * A comment line on every open stream, each sent on a virtual thread of its own: a client that
   * does not read blocks only its own write. A write that fails ends the stream, which gives its
   * place back.
   */
  private void beat() {
    for (SseEmitter emitter : emitters) {
      Thread.ofVirtual()
          .name("stream-heartbeat")
          .start(
              () -> {
                try {
                  synchronized (emitter) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                  }
                } catch (IOException | IllegalStateException e) {
                  // gone, or already completed: either way this stream is over
                  emitter.completeWithError(e);
                }
              });
    }
  }

  /**
   * An emitter that gives its place back when completed by whoever streams on it: one completed
   * before the controller returned it never gets the container's completion callbacks.
   */
  private final class Counted extends SseEmitter {

    private final String who;
    private final AtomicBoolean released = new AtomicBoolean();

    Counted(Duration timeout, String who) {
      super(timeout.toMillis());
      this.who = who;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        emitters.remove(this);
        open.computeIfPresent(who, (name, held) -> held <= 1 ? null : held - 1);
      }
    }

    @Override
    public void complete() {
      super.complete();
      release();
    }

    @Override
    public void completeWithError(Throwable failure) {
      super.completeWithError(failure);
      release();
    }
  }

  /** How many streams {@code caller} holds open now. */
  public int held(Jwt caller) {
    return open.getOrDefault(callerOf(caller), 0);
  }

  private static String callerOf(Jwt caller) {
    String username = caller.getClaimAsString("preferred_username");
    return username != null ? username : caller.getSubject();
  }
}
