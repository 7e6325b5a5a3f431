package io.slipway.cli;

import io.slipway.cli.api.ApiException;

/**
 * The exit codes, by class of failure, so that scripts can tell them apart (docs/cli.md lists
 * them).
 */
final class Exit {

  static final int OK = 0;

  /** Something failed that has no class of its own (e.g. a build that failed). */
  static final int FAILED = 1;

  /** The command line is wrong, or the service refused the input (400, 422). */
  static final int USAGE = 2;

  /** Not logged in, or the credentials were refused (401): log in again. */
  static final int AUTH = 3;

  /** Logged in, but the role is too low or the token lacks the scope (403). */
  static final int FORBIDDEN = 4;

  /** No such tenant, project, app, build or token, or one the caller may not see (404). */
  static final int NOT_FOUND = 5;

  /** Refused by a quota (409 quota-exceeded). */
  static final int QUOTA = 6;

  /** Refused by the object's state (other 409s: exists already, not empty, in use). */
  static final int CONFLICT = 7;

  /** The service failed (5xx) or could not be reached. */
  static final int SERVER = 8;

  /**
   * A one-off run that did not finish within the platform's time limit, as GNU {@code timeout}
   * exits (otherwise {@code run} exits with the command's own code).
   */
  static final int TIMED_OUT = 124;

  private Exit() {}

  static int of(ApiException e) {
    int status = e.status();
    if (status == 0 || status >= 500) {
      return SERVER;
    }
    return switch (status) {
      case 400, 422 -> USAGE;
      case 401 -> AUTH;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 409 -> "quota-exceeded".equals(e.type()) ? QUOTA : CONFLICT;
      default -> FAILED;
    };
  }
}
