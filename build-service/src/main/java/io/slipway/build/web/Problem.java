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

  /** 400: the request cannot be read at all (e.g. a body that is not the expected JSON). */
  public static Problem malformed(String detail) {
    return new Problem(HttpStatus.BAD_REQUEST, "malformed-request", detail);
  }

  /** 401: the caller could not be authenticated (e.g. a webhook with a bad signature). */
  public static Problem unauthorized(String type, String detail) {
    return new Problem(HttpStatus.UNAUTHORIZED, type, detail);
  }

  /** 403: the caller is known but their role is too low. */
  public static Problem forbidden(String detail) {
    return new Problem(HttpStatus.FORBIDDEN, "forbidden", detail);
  }

  /** 409: the resource is not in a state that allows the request (e.g. a build that ended). */
  public static Problem conflict(String type, String detail) {
    return new Problem(HttpStatus.CONFLICT, type, detail);
  }

  /** 502: a system this service depends on (e.g. an external git server) failed. */
  public static Problem upstream(String type, String detail) {
    return new Problem(HttpStatus.BAD_GATEWAY, type, detail);
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
