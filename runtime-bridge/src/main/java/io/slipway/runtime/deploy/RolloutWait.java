package io.slipway.runtime.deploy;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A caller's {@code Prefer: wait=<seconds>} (RFC 7240): how long it would rather wait for an
 * accepted revision's rollout to end than be answered 202 at once. The wait reads the revision's
 * row, so any replica answers it, whichever replica rolls the revision out.
 */
@Component
class RolloutWait {

  /** The request header (RFC 7240). */
  static final String PREFER = "Prefer";

  /** The longest wait honoured: a release phase (10 min) and a health check, with room. */
  static final Duration MAX = Duration.ofMinutes(15);

  private static final Duration POLL = Duration.ofMillis(200);

  private final DeploymentStore store;

  RolloutWait(DeploymentStore store) {
    this.store = store;
  }

  /**
   * The wait a {@code Prefer} header asks for, at most {@link #MAX}; zero without one (or with a
   * value that is not a whole number of seconds, which RFC 7240 lets a server ignore).
   */
  static Duration preferred(String prefer) {
    if (prefer == null) {
      return Duration.ZERO;
    }
    for (String preference : prefer.split("[,;]")) {
      String[] pair = preference.strip().split("=", 2);
      if (pair.length == 2 && pair[0].strip().toLowerCase(Locale.ROOT).equals("wait")) {
        try {
          long seconds = Long.parseLong(pair[1].strip().replace("\"", ""));
          return seconds <= 0
              ? Duration.ZERO
              : Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
        } catch (NumberFormatException ignored) {
          return Duration.ZERO;
        }
      }
    }
    return Duration.ZERO;
  }

  /**
   * The revision once its rollout has ended (live, failed, or retired since), or as it stands when
   * {@code wait} passes first; empty when it is gone (the app was deleted meanwhile).
   */
  Optional<RevisionRecord> await(RevisionRecord accepted, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    Optional<RevisionRecord> now = Optional.of(accepted);
    while (now.isPresent() && !now.get().settled() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return now;
      }
      now = store.revision(accepted.spec().ref(), accepted.spec().revision());
    }
    return now;
  }
}
