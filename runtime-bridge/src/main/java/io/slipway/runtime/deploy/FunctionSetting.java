package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.validation.Limits;

/**
 * A function app's setting as the API takes it: {@code {"timeoutSeconds": 60}}, how long one
 * invocation may run (1 to 300 s); left out or null: the default, {@value #DEFAULT_TIMEOUT} s.
 */
record FunctionSetting(Integer timeoutSeconds) {

  static final int DEFAULT_TIMEOUT = 60;
  static final int MAX_TIMEOUT = Limits.FUNCTION_TIMEOUT_MAX;

  /** The timeout to store (null: the default); a 400 problem when out of bounds. */
  Integer validated() {
    if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT)) {
      throw Problem.badRequest(
          "invalid-function-setting",
          "timeoutSeconds must be from 1 to " + MAX_TIMEOUT + ", not " + timeoutSeconds);
    }
    return timeoutSeconds;
  }
}
