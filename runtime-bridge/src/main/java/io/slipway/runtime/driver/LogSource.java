package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;
import java.util.function.Consumer;

/**
 * An optional ability of a {@link RuntimeDriver}: what the instances of a revision write to their
 * standard output and error.
 */
public interface LogSource {

  /** The last {@code lines} lines of the revision's first web instance (empty when it has none). */
  String lastLines(AppRef ref, int revision, int lines);

  /**
   * Streams the last {@code tail} lines of every instance of one process type of the revision
   * ({@code web}, or one of its {@link io.slipway.runtime.model.AppSpec#processes() other types}; a
   * type the revision does not run has nothing to stream) to {@code sink}, one call per line, then,
   * when {@code follow}, each line as it is written. Asynchronous: returns at once. The sink may be
   * called from several threads at a time (one per instance). The stream ends when every instance's
   * output has ended (not following: at once after the tail; following: when the instances are
   * removed) or when it is closed.
   */
  LogStream stream(
      AppRef ref, int revision, String type, int tail, boolean follow, Consumer<String> sink);

  /** A running log stream. */
  interface LogStream extends AutoCloseable {

    /** Waits until the stream has ended. */
    void await() throws InterruptedException;

    /** Stops streaming; idempotent. */
    @Override
    void close();
  }
}
