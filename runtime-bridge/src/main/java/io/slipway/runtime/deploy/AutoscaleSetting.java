package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;

/**
 * An app's autoscaling setting as the API takes it: {@code {"enabled": true, "min": 1, "max": 5,
 * "targetConcurrency": 10}}: its web replicas between {@code min} (1 to 100) and {@code max}
 * ({@code min} to 100), each meant for {@code targetConcurrency} requests at once (1 to 10,000).
 * Left out: {@code min} 1, {@code max} 10, {@code targetConcurrency} 10.
 */
record AutoscaleSetting(Boolean enabled, Integer min, Integer max, Integer targetConcurrency) {

  static final int DEFAULT_MIN = 1;
  static final int DEFAULT_MAX = 10;
  static final int DEFAULT_TARGET = 10;
  static final int MAX_REPLICAS = 100;
  static final int MAX_TARGET = 10_000;

  /** The bounds and target an app opted in keeps. */
  record Bounds(int min, int max, int target) {}

  /** The bounds to store, or null to opt out; a 400 problem for anything else. */
  Bounds validated() {
    if (enabled == null) {
      throw invalid("enabled is required: true or false");
    }
    if (!enabled) {
      return null;
    }
    int low = min == null ? DEFAULT_MIN : min;
    int high = max == null ? Math.max(DEFAULT_MAX, low) : max;
    int target = targetConcurrency == null ? DEFAULT_TARGET : targetConcurrency;
    if (low < 1 || low > MAX_REPLICAS) {
      throw invalid("min must be from 1 to " + MAX_REPLICAS + ", not " + low);
    }
    if (high < low || high > MAX_REPLICAS) {
      throw invalid("max must be from min (" + low + ") to " + MAX_REPLICAS + ", not " + high);
    }
    if (target < 1 || target > MAX_TARGET) {
      throw invalid("targetConcurrency must be from 1 to " + MAX_TARGET + ", not " + target);
    }
    return new Bounds(low, high, target);
  }

  private static Problem invalid(String detail) {
    return Problem.badRequest("invalid-autoscaling", detail);
  }
}
