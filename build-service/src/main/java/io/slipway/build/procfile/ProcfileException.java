package io.slipway.build.procfile;

/**
 * A Procfile that cannot be read: the message says why in plain words and names the line (when one
 * line is at fault), so that it can be shown to the pusher as the build's reason.
 */
public final class ProcfileException extends Exception {

  private final int line;

  ProcfileException(int line, String message) {
    super(message);
    this.line = line;
  }

  /** The 1-based line at fault, or 0 when the whole file is (too large, say). */
  public int line() {
    return line;
  }
}
