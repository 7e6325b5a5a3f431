package io.slipway.cli.api;

import java.util.Map;

/**
 * A service answered with an error: its status and RFC 9457 problem detail ({@code type}'s last
 * segment, {@code detail}), or, for {@link #unreachable}, no answer at all (status 0).
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;

  public ApiException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  /** Reads a problem detail body; a body that is not one is shown as it is (shortened). */
  static ApiException of(String service, int status, String body) {
    Map<String, Object> problem = Map.of();
    try {
      problem = Json.object(Json.parse(body));
    } catch (IllegalArgumentException notJson) {
      // not a problem detail: the status and the text say what there is to say
    }
    String type = String.valueOf(problem.getOrDefault("type", ""));
    type = type.substring(type.lastIndexOf('/') + 1);
    Object detail = problem.get("detail");
    if (detail == null) {
      detail = problem.get("error_description");
    }
    if (detail == null) {
      String text = body == null ? "" : body.strip();
      detail =
          service
              + " answered "
              + status
              + (text.isEmpty() ? "" : ": " + text.substring(0, Math.min(200, text.length())));
    }
    if (type.isEmpty() && problem.get("error") instanceof String error) {
      type = error;
    }
    return new ApiException(status, type, String.valueOf(detail));
  }

  static ApiException unreachable(String service, String url, Exception cause) {
    return new ApiException(
        0,
        "unreachable",
        "cannot reach "
            + service
            + " at "
            + url
            + " ("
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
            + "); is Slipway running (./slipway up)?");
  }

  public int status() {
    return status;
  }

  /** The problem type's last path segment, such as {@code quota-exceeded}; empty when none. */
  public String type() {
    return type;
  }
}
