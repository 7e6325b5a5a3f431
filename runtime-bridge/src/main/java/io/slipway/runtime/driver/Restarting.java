package io.slipway.runtime.driver;

/**
 * An optional ability of a {@link RuntimeDriver}: one instance can be restarted in place (a
 * function's instance whose invocation ran past its limit may still be busy with it).
 */
public interface Restarting {

  /**
   * Kills the instance named {@code instance} (as {@link Instance#name} names it) at once and
   * starts it again, with the same spec. Synchronous; a missing instance is nothing to do.
   */
  void restart(String instance);
}
