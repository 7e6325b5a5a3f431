package io.slipway.portal.web;

import java.util.List;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A service refused a call or could not be reached. The message is written for the user: it is the
 * service's own problem detail, or a plain sentence when there is none.
 */
public class ServiceProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;
  private final transient List<String> reasons;

  public ServiceProblem(int status, String message) {
    this(status, "", message);
  }

  public ServiceProblem(int status, String type, String message) {
    this(status, type, message, List.of());
  }

  /**
   * @param type the last segment of the problem's {@code type} URI (e.g. {@code domain-taken}), or
   *     empty when the service sent none
   * @param reasons the problem's {@code reasons}, one sentence each (an image refused by the image
   *     policy lists every rule it broke), or empty
   */
  public ServiceProblem(int status, String type, String message, List<String> reasons) {
    super(message);
    this.status = status;
    this.type = type == null ? "" : type;
    this.reasons = List.copyOf(reasons);
  }

  /** The HTTP status the service answered, or 503 when it could not be reached. */
  public int status() {
    return status;
  }

  /** The problem type's last segment, such as {@code quota-exceeded}; empty when unknown. */
  public String type() {
    return type;
  }

  /** Why, one sentence per reason, when the service listed them; else empty. */
  public List<String> reasons() {
    return reasons;
  }

  /**
   * Adds this problem to the redirect's flash: {@code error} with the message, and {@code reasons}
   * when the service listed them.
   */
  public void flash(RedirectAttributes redirect) {
    if (reasons.isEmpty()) {
      redirect.addFlashAttribute("error", getMessage());
      return;
    }
    // a detail that ends by listing the reasons reads better cut short before the list
    String listed = ": " + String.join("; ", reasons);
    String message = getMessage();
    redirect.addFlashAttribute(
        "error",
        message.endsWith(listed)
            ? message.substring(0, message.length() - listed.length()) + ":"
            : message);
    redirect.addFlashAttribute("reasons", reasons);
  }
}
