package io.slipway.kit.validation;

/**
 * The bounds Slipway puts on what users type, defined once so that the portal's forms, the
 * services' request validation and their error messages agree.
 */
public final class Limits {

  private Limits() {}

  /** An environment variable's or secret's name: a letter or underscore, then word characters. */
  public static final String ENV_NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_]*";

  /** The longest environment variable or secret name. */
  public static final int ENV_NAME_MAX = 128;

  /** The longest environment variable value. */
  public static final int ENV_VALUE_MAX = 4096;

  /** The longest secret value (a PEM key or a long connection string fits). */
  public static final int SECRET_VALUE_MAX = 8192;

  /** How many environment variables one app may have. */
  public static final int ENV_VARIABLES_MAX = 100;

  /** How many secrets one app may have. */
  public static final int SECRETS_MAX = 50;

  /** The longest display name of a tenant or project, and the longest token name. */
  public static final int DISPLAY_NAME_MAX = 100;

  /** The longest command of a one-off run ({@code run <command>}). */
  public static final int RUN_COMMAND_MAX = 4096;

  /** The longest time limit of one invocation of a function, in seconds (the shortest is 1). */
  public static final int FUNCTION_TIMEOUT_MAX = 300;

  /**
   * The most event streams (followed logs, a build's log, a run's output) one caller holds open at
   * once on one replica of a service.
   */
  public static final int OPEN_STREAMS_PER_CALLER = 10;
}
