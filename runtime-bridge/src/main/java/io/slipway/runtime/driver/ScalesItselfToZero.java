package io.slipway.runtime.driver;

/**
 * A runtime that scales apps to zero by a controller of its own (Knative Serving on Kubernetes)
 * rather than by the bridge stopping and keeping instances ({@link Dozing}): it holds the first
 * request while the app starts again, so the bridge only passes the app's setting on.
 */
public interface ScalesItselfToZero {

  /** Whether it can now (Knative Serving is on and installed). */
  boolean scalesToZero();
}
