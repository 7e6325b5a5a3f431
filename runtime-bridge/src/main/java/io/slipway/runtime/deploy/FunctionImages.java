package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.ImageLabels;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Which revisions are functions (issue 22): those whose image carries the label {@link #LABEL}
 * (build-service's function stacks set it to the runtime's name, {@code node} or {@code python}).
 * Read from the image once per reference and kept: an image's labels never change, and routing asks
 * on every pass.
 */
@Component
class FunctionImages {

  /** The image label that makes an app a function; its value names the runtime. */
  static final String LABEL = "io.slipway.function";

  /** What a function's runtime answers once its handler is loaded: its readiness check. */
  static final String HEALTH_PATH = "/healthz";

  /** Past this many images known, the memory starts again (read again as asked). */
  private static final int KEPT = 1_000;

  private static final Logger log = LoggerFactory.getLogger(FunctionImages.class);

  private final RuntimeDriver driver;
  private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();

  FunctionImages(RuntimeDriver driver) {
    this.driver = driver;
  }

  /** The function runtime of the revision's image, or empty when it is not a function. */
  Optional<String> runtime(AppSpec spec) {
    if (!(driver instanceof ImageLabels images)) {
      return Optional.empty();
    }
    String image = spec.imageReference();
    Optional<String> runtime = known.get(image);
    if (runtime != null) {
      return runtime;
    }
    try {
      runtime = runtime(images.labels(image));
    } catch (RuntimeException e) {
      // not kept: the next look asks again once the image can be read
      log.warn("Reading the labels of {} failed: {}", image, e.toString());
      return Optional.empty();
    }
    if (known.size() >= KEPT) {
      known.clear();
    }
    known.put(image, runtime);
    return runtime;
  }

  /** The runtime these image labels name, or empty when they do not make a function. */
  static Optional<String> runtime(Map<String, String> labels) {
    return Optional.ofNullable(labels.get(LABEL)).map(String::strip).filter(v -> !v.isEmpty());
  }
}
