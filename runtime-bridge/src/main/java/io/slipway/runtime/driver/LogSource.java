package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;

/**
 * An optional ability of a {@link RuntimeDriver}: the last lines an instance of a revision wrote,
 * kept as the reason when a revision fails.
 */
public interface LogSource {

  /** The last {@code lines} lines of the revision's first instance (empty when it has none). */
  String lastLines(AppRef ref, int revision, int lines);
}
