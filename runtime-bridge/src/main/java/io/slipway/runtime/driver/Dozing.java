package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;
import java.util.OptionalLong;

/**
 * An optional ability of a {@link RuntimeDriver}: a revision's instances can be paused in place or
 * stopped and kept, so that they run again quickly (an app scaled to zero while idle), and the
 * driver can say how much traffic they received (how idleness is seen).
 */
public interface Dozing {

  /**
   * Stops every instance of the revision (each process type's too) and keeps them, stopped, for
   * {@link RuntimeDriver#apply} to start again. Synchronous and idempotent: stopping stopped or
   * missing instances does nothing.
   */
  void stopInstances(AppRef ref, int revision);

  /**
   * Freezes every running instance of the revision (each process type's too) where it is: its
   * processes get no CPU, keep their memory, and go on from where they were when resumed.
   * Synchronous and idempotent.
   */
  void pauseInstances(AppRef ref, int revision);

  /**
   * Lets the revision's paused instances run again. True when every instance of the revision runs
   * afterwards; false when one is missing or stopped (or there is none), which {@link
   * RuntimeDriver#apply} then makes or starts.
   */
  boolean resumeInstances(AppRef ref, int revision);

  /**
   * The bytes the revision's running web instances received on their network so far, summed; empty
   * when none runs. A counter that goes down was reset (an instance started again).
   */
  OptionalLong received(AppRef ref, int revision);
}
