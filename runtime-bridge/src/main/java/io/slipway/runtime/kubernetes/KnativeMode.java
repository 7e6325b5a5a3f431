package io.slipway.runtime.kubernetes;

import java.util.Locale;

/**
 * Whether the kubernetes driver runs apps that scale to zero, and functions, as Knative Serving
 * Services ({@code slipway.runtime.kubernetes.knative}).
 */
public enum KnativeMode {
  /** When the API server serves {@code serving.knative.dev/v1} Services (asked, then kept). */
  AUTO,
  /** Always: Knative Serving is known to be installed. */
  ON,
  /** Never: every app runs as a Deployment. */
  OFF;

  /** The mode a setting names ({@code auto}, {@code on}, {@code off}, in any case). */
  public static KnativeMode of(String setting) {
    try {
      return valueOf(setting.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "slipway.runtime.kubernetes.knative must be auto, on or off, not '" + setting + "'");
    }
  }
}
