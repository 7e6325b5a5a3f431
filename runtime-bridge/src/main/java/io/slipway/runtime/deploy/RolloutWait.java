package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * A caller's {@code Prefer: wait=<seconds>} (RFC 7240): how long it would rather wait for an
 * accepted revision's rollout, or an accepted change of the app (scale, stop, start), to end than
 * be answered 202 at once. The wait reads the revision's or the app's row, so any replica answers
 * it, whichever replica carries the work out.
 */
@Component
class RolloutWait {

  /** The request header (RFC 7240). */
  static final String PREFER = "Prefer";

  /** The longest wait honoured: a release phase (10 min) and a health check, with room. */
  static final Duration MAX = Duration.ofMinutes(15);

  private static final Duration POLL = Duration.ofMillis(200);

  private final DeploymentStore store;
  private final AppChangeStore changes;

  RolloutWait(DeploymentStore store, AppChangeStore changes) {
    this.store = store;
    this.changes = changes;
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
   * The revision once its rollout has ended (live, failed, superseded, or retired since), or as it
   * stands when {@code wait} passes first; empty when it is gone (the app was deleted meanwhile).
   */
  Optional<RevisionRecord> await(RevisionRecord accepted, Duration wait) {
    AppRef ref = accepted.spec().ref();
    int revision = accepted.spec().revision();
    return until(
        Optional.of(accepted), RevisionRecord::settled, () -> store.revision(ref, revision), wait);
  }

  /** {@link #await(RevisionRecord, Duration)} for the app's revision of this number. */
  Optional<RevisionRecord> awaitRevision(AppRef ref, int revision, Duration wait) {
    return until(
        store.revision(ref, revision),
        RevisionRecord::settled,
        () -> store.revision(ref, revision),
        wait);
  }

  /**
   * Change {@code change} of the app once the reconciler applied it (or failed to), or as it stands
   * when {@code wait} passes first; empty when it is gone.
   */
  Optional<AppChangeStore.State> awaitChange(AppRef ref, int change, Duration wait) {
    return until(
        changes.state(ref, change),
        AppChangeStore.State::settled,
        () -> changes.state(ref, change),
        wait);
  }

  /**
   * Whether the app's accepted deletion was carried out (nothing of it left) within {@code wait}.
   */
  boolean awaitDeleted(AppRef ref, Duration wait) {
    Supplier<Optional<AppRef>> deleting =
        () -> store.deleting(ref) ? Optional.of(ref) : Optional.empty();
    return until(deleting.get(), still -> false, deleting, wait).isEmpty();
  }

  /** Reads again until what was read is settled, is gone, or {@code wait} passed. */
  private static <T> Optional<T> until(
      Optional<T> first, Predicate<T> settled, Supplier<Optional<T>> read, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    Optional<T> now = first;
    while (now.isPresent() && !settled.test(now.get()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return now;
      }
      now = read.get();
    }
    return now;
  }
}
