package io.slipway.build.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** An error that leaves the API as an RFC 9457 problem detail with a stable type. */
public final class Problem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private static final String BASE = "https://slipway.io/problems/";

  private final HttpStatus status;
  private final String type;

  private Problem(HttpStatus status, String type, String detail) {
    super(detail);
    this.status = status;
    this.type = type;
  }

  public static Problem notFound(String detail) {
    return new Problem(HttpStatus.NOT_FOUND, "not-found", detail);
  }

  public static Problem invalid(String type, String detail) {
    return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, type, detail);
  }

  public HttpStatus status() {
    return status;
  }

  public ProblemDetail toProblemDetail() {
    ProblemDetail detail = ProblemDetail.forStatusAndDetail(status, getMessage());
    detail.setType(URI.create(BASE + type));
    detail.setTitle(status.getReasonPhrase());
    return detail;
  }
}
