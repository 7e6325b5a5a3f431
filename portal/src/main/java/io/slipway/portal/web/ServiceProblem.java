package io.slipway.portal.web;

/**
 * A service refused a call or could not be reached. The message is written for the user: it is the
 * service's own problem detail, or a plain sentence when there is none.
 */
public class ServiceProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int status;

  public ServiceProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the service answered, or 503 when it could not be reached. */
  public int status() {
    return status;
  }
}
