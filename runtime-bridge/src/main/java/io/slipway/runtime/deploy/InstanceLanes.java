package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.Instance;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One function app's instances as lanes: an instance takes one invocation at a time (a function's
 * runtime answers 503 busy to a second), and callers wait for a free one in the order they came (a
 * fair lock: a caller that arrives while others wait queues behind them). At most {@link
 * #MAX_WAITING} wait; one more is refused at once rather than held.
 */
final class InstanceLanes {

  /** Invocations of one app that may wait for an instance on one replica. */
  static final int MAX_WAITING = 100;

  private static final Duration LOOK_AGAIN = Duration.ofMillis(250);

  /** Too many invocations of this app are waiting already. */
  static final class Full extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition freed = lock.newCondition();
  private final Set<String> busy = new HashSet<>();
  private int waiting;

  /**
   * Takes a free instance of those {@code instances} lists now (read again whenever one is freed),
   * waiting up to {@code wait} for one; empty when none became free in time.
   *
   * @throws Full when {@link #MAX_WAITING} callers wait already
   */
  Optional<Instance> take(Supplier<List<Instance>> instances, Duration wait)
      throws Full, InterruptedException {
    lock.lockInterruptibly();
    try {
      if (waiting >= MAX_WAITING) {
        throw new Full();
      }
      waiting++;
      try {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
          for (Instance instance : instances.get()) {
            if (busy.add(instance.name())) {
              return Optional.of(instance);
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return Optional.empty();
          }
          // looked at again now and then too: instances may have been added or have started
          freed.awaitNanos(Math.min(left, LOOK_AGAIN.toNanos()));
        }
      } finally {
        waiting--;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The invocations running on an instance or waiting for one: the app's demand, for autoscaling.
   */
  int demand() {
    lock.lock();
    try {
      return busy.size() + waiting;
    } finally {
      lock.unlock();
    }
  }

  /** The instance is free for the next invocation (or its instances changed: look again). */
  void free(String instance) {
    lock.lock();
    try {
      if (instance != null) {
        busy.remove(instance);
      }
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
