package io.slipway.runtime.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One app's requests in flight as the autoscaler samples them, and the replicas they call for, in
 * the manner of Knative's autoscaler: the average over a stable window (60 s) sets the count, so a
 * short burst or lull does not; the average over a panic window (6 s) that calls for at least twice
 * the replicas running starts a panic, in which the count only rises, until a stable window has
 * passed without another. A replica is meant for {@code target} requests at once. Not thread-safe:
 * one pass samples an app at a time.
 */
final class RequestWindow {

  private final Duration stable;
  private final Duration panic;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private Instant panicSince;

  private record Sample(Instant at, int inFlight) {}

  /** What the requests call for, and the averages that did. */
  record Decision(int replicas, double stableAverage, double panicAverage, boolean panicking) {}

  RequestWindow(Duration stable, Duration panic) {
    if (panic.isNegative() || panic.isZero() || panic.compareTo(stable) > 0) {
      throw new IllegalArgumentException(
          "the panic window must be positive and no longer than the stable window");
    }
    this.stable = stable;
    this.panic = panic;
  }

  /** Records the requests in flight at {@code at}; samples older than the stable window go. */
  void add(Instant at, int inFlight) {
    samples.addLast(new Sample(at, inFlight));
    Instant oldest = at.minus(stable);
    while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
      samples.removeFirst();
    }
  }

  /**
   * The replicas the samples call for as of {@code now}, between {@code min} and {@code max}, for
   * {@code current} running; {@code current} itself until the samples span a panic window.
   */
  Decision decide(Instant now, int current, int min, int max, int target) {
    if (samples.isEmpty() || Duration.between(samples.peekFirst().at(), now).compareTo(panic) < 0) {
      return new Decision(current, 0, 0, panicSince != null);
    }
    double stableAverage = average(now.minus(stable));
    double panicAverage = average(now.minus(panic));
    int forStable = (int) Math.ceil(stableAverage / target);
    int forPanic = (int) Math.ceil(panicAverage / target);
    if (forPanic >= 2 * Math.max(current, 1)) {
      panicSince = now;
    } else if (panicSince != null && !now.isBefore(panicSince.plus(stable))) {
      panicSince = null;
    }
    int wanted = panicSince != null ? Math.max(current, Math.max(forPanic, forStable)) : forStable;
    return new Decision(
        Math.clamp(wanted, min, max), stableAverage, panicAverage, panicSince != null);
  }

  private double average(Instant from) {
    long sum = 0;
    int count = 0;
    for (Sample sample : samples) {
      if (!sample.at().isBefore(from)) {
        sum += sample.inFlight();
        count++;
      }
    }
    return count == 0 ? 0 : (double) sum / count;
  }
}
