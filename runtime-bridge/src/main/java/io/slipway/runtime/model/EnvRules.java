package io.slipway.runtime.model;

import io.slipway.kit.validation.Limits;

/**
 * What an environment variable or secret may be, the same at every layer: the REST API's request
 * records, {@link AppSpec} (every deploy, rollback and reconcile) and the portal's forms, all from
 * service-kit's {@link Limits}. Values are one line: podman reads secrets from an env file, and a
 * newline there would start a variable of the caller's choosing.
 */
public final class EnvRules {

  /** A name: a letter or {@code _}, then letters, digits or {@code _}, as long as the limit. */
  public static final String NAME = "[A-Za-z_][A-Za-z0-9_]{0," + (Limits.ENV_NAME_MAX - 1) + "}";

  /** A value: any characters but NUL, CR and LF. */
  public static final String VALUE = "[^\\x00\\r\\n]*";

  /** The longest value of a variable. */
  public static final int MAX_VALUE = Limits.ENV_VALUE_MAX;

  /** The longest value of a secret. */
  public static final int MAX_SECRET_VALUE = Limits.SECRET_VALUE_MAX;

  /** At most this many variables per app. */
  public static final int MAX_VARIABLES = Limits.ENV_VARIABLES_MAX;

  /** At most this many secrets per app. */
  public static final int MAX_SECRETS = Limits.SECRETS_MAX;

  public static final String NAME_MESSAGE =
      "must be letters, digits and '_', not starting with a digit, at most "
          + Limits.ENV_NAME_MAX
          + " characters";
  public static final String VALUE_MESSAGE = "must be one line (no line breaks or NUL)";

  private EnvRules() {}

  /** Whether {@code name} may name a variable or secret. */
  public static boolean validName(String name) {
    return name != null && name.matches(NAME);
  }

  /** Whether {@code value} may be a variable's value. */
  public static boolean validValue(String value) {
    return value != null && value.length() <= MAX_VALUE && value.matches(VALUE);
  }

  /** Whether {@code value} may be a secret's value. */
  public static boolean validSecretValue(String value) {
    return value != null && value.length() <= MAX_SECRET_VALUE && value.matches(VALUE);
  }
}
