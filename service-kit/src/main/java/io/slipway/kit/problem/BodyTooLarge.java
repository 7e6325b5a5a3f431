package io.slipway.kit.problem;

import java.io.IOException;

/**
 * A request body that grew past the service's limit while it was read (one without a declared
 * length); {@link ProblemHandler} answers it with 413.
 */
public final class BodyTooLarge extends IOException {
  private static final long serialVersionUID = 1L;

  public BodyTooLarge(long max) {
    super(detail(max));
  }

  /** What the 413 answer says. */
  public static String detail(long max) {
    return "The request body is larger than " + max + " bytes";
  }

  /** The BodyTooLarge somewhere in {@code e}'s causes, if any. */
  public static BodyTooLarge in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLarge tooLarge) {
        return tooLarge;
      }
    }
    return null;
  }
}
