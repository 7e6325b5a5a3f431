package io.slipway.portal.web;

/**
 * A service refused a call or could not be reached. The message is written for the user: it is the
 * service's own problem detail, or a plain sentence when there is none.
 */
public class ServiceProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;

  public ServiceProblem(int status, String message) {
    this(status, "", message);
  }

  /**
   * @param type the last segment of the problem's {@code type} URI (e.g. {@code domain-taken}), or
   *     empty when the service sent none
   */
  public ServiceProblem(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type == null ? "" : type;
  }

  /** The HTTP status the service answered, or 503 when it could not be reached. */
  public int status() {
    return status;
  }

  /** The problem type's last segment, such as {@code quota-exceeded}; empty when unknown. */
  public String type() {
    return type;
  }
}
