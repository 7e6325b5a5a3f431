package io.slipway.runtime.driver;

import java.util.SortedSet;

/**
 * An optional ability of a {@link RuntimeDriver}: the TCP ports an image declares with {@code
 * EXPOSE}, so that a deploy that names no port runs the app on the port its image says it listens
 * on.
 */
public interface ImagePorts {

  /**
   * The TCP ports the image's configuration exposes, empty when it exposes none. Fetches the image
   * first when the runtime does not have it yet (it is about to run it anyway).
   *
   * @throws RuntimeException when the image cannot be had or read
   */
  SortedSet<Integer> exposed(String imageReference);
}
