package io.slipway.runtime.driver;

import java.util.Map;

/**
 * An optional ability of a {@link RuntimeDriver}: the labels of an image's configuration, where a
 * build records what the image runs besides its own command (its Procfile's process types).
 */
public interface ImageLabels {

  /**
   * The image configuration's labels, empty when it has none. Fetches the image first when the
   * runtime does not have it yet (it is about to run it anyway).
   *
   * @throws RuntimeException when the image cannot be had or read
   */
  Map<String, String> labels(String imageReference);
}
