package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;
import java.util.Optional;

/**
 * A runtime that serves apps by a controller of its own (Knative Serving on Kubernetes) and says,
 * in that controller's words, why an app cannot serve: its revision failed to start, its image
 * cannot be pulled. The bridge shows it as the app's event rather than a bare "not ready".
 */
public interface ServingConditions {

  /**
   * Why the app cannot serve now, as its runtime says; empty when it can, while it is still being
   * worked on, or when the runtime does not serve it so. Reads the runtime; changes nothing.
   */
  Optional<Failure> failure(AppRef ref);

  /**
   * @param reason the runtime's short name for it, e.g. {@code RevisionFailed}
   * @param message its words for it
   */
  record Failure(String reason, String message) {}
}
