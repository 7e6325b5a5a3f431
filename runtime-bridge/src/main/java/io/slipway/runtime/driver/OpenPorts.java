package io.slipway.runtime.driver;

import java.util.Optional;
import java.util.SortedSet;

/**
 * An optional ability of a {@link RuntimeDriver}: which TCP ports an instance listens on, so that a
 * revision listening on the wrong port is told so instead of waiting out its health check.
 */
public interface OpenPorts {

  /** The ports the named instance listens on; empty when that cannot be seen (not yet, or gone). */
  Optional<SortedSet<Integer>> listening(String instance);
}
