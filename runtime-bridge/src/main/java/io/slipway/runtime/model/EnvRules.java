package io.slipway.runtime.model;

/**
 * What an environment variable or secret may be, the same at every layer: the REST API's request
 * records, {@link AppSpec} (every deploy, rollback and reconcile) and the portal's forms (which
 * state the same numbers). Values are one line: podman reads secrets from an env file, and a
 * newline there would start a variable of the caller's choosing.
 */
public final class EnvRules {

  /** A name: a letter or {@code _}, then letters, digits or {@code _}; at most 100 characters. */
  public static final String NAME = "[A-Za-z_][A-Za-z0-9_]{0,99}";

  /** A value: any characters but NUL, CR and LF. */
  public static final String VALUE = "[^\\x00\\r\\n]*";

  /** The longest value, of a variable or a secret. */
  public static final int MAX_VALUE = 4096;

  /** At most this many variables per app. */
  public static final int MAX_VARIABLES = 100;

  /** At most this many secrets per app. */
  public static final int MAX_SECRETS = 50;

  public static final String NAME_MESSAGE =
      "must be letters, digits and '_', not starting with a digit, at most 100 characters";
  public static final String VALUE_MESSAGE = "must be one line (no line breaks or NUL)";

  private EnvRules() {}

  /** Whether {@code name} may name a variable or secret. */
  public static boolean validName(String name) {
    return name != null && name.matches(NAME);
  }

  /** Whether {@code value} may be a variable's or secret's value. */
  public static boolean validValue(String value) {
    return value != null && value.length() <= MAX_VALUE && value.matches(VALUE);
  }
}
