package io.slipway.governance.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Looks inside executables that no path rule selected (a Go binary can be called anything) and
 * keeps a small extract instead of the whole file.
 */
@FunctionalInterface
public interface ExecutableProbe {

  /** Never probes anything. */
  ExecutableProbe NONE = content -> null;

  /**
   * Reads an executable's content (streamed; it may be large) and returns what to keep, or {@code
   * null} to keep nothing.
   */
  byte[] probe(InputStream content) throws IOException;
}
