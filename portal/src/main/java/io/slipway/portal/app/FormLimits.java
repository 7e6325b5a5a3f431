package io.slipway.portal.app;

import io.slipway.kit.validation.Limits;

/** The bounds the app page's forms put on what users type: the services' own, from the kit. */
public record FormLimits(
    int envNameMax,
    String envNamePattern,
    int envValueMax,
    int secretValueMax,
    int runCommandMax,
    int functionTimeoutMax) {

  static final FormLimits SHARED =
      new FormLimits(
          Limits.ENV_NAME_MAX,
          Limits.ENV_NAME_PATTERN,
          Limits.ENV_VALUE_MAX,
          Limits.SECRET_VALUE_MAX,
          Limits.RUN_COMMAND_MAX,
          Limits.FUNCTION_TIMEOUT_MAX);
}
