package io.slipway.runtime.render;

import java.time.Duration;

/**
 * How an app asks to be served when Knative Serving runs it: what its scale-to-zero, autoscaling
 * and function settings say. An app is Knative's ({@link #knative()}) when it scales to zero or is
 * a function; any other app keeps its Deployment.
 *
 * @param idleAfter the idle period after which it goes to zero; null when it does not opt in
 * @param scale its autoscaling bounds; null when it does not autoscale
 * @param functionTimeoutSeconds how long one invocation may run when it is a function; null when it
 *     is not one
 */
public record Serving(Duration idleAfter, Scale scale, Integer functionTimeoutSeconds) {

  /** The autoscaling bounds of an app: its replicas from {@code min} to {@code max}. */
  public record Scale(int min, int max, int targetConcurrency) {}

  /** Nothing asked: a plain app, run as a Deployment. */
  public static final Serving NONE = new Serving(null, null, null);

  /** Whether Knative Serving should run the app: it scales to zero or is a function. */
  public boolean knative() {
    return idleAfter != null || functionTimeoutSeconds != null;
  }
}
