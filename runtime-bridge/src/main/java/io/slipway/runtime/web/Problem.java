package io.slipway.runtime.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * An error a caller can act on. It leaves the API as an RFC 9457 problem detail whose {@code type}
 * is stable ({@code https://slipway.io/problems/<slug>}), as tenant-service's do.
 */
public class Problem extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final String TYPE_ROOT = "https://slipway.io/problems/";

  private final HttpStatusCode status;
  private final String slug;
  private final String title;
  private final transient Map<String, Object> properties = new LinkedHashMap<>();

  public Problem(HttpStatusCode status, String slug, String title, String detail) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public static Problem notFound(String kind, String name) {
    return new Problem(
        HttpStatus.NOT_FOUND, "not-found", "Not found", kind + " '" + name + "' was not found");
  }

  public static Problem conflict(String slug, String detail) {
    return new Problem(HttpStatus.CONFLICT, slug, "Conflict", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  public static Problem invalid(String slug, String detail) {
    return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, slug, "Invalid request", detail);
  }

  public static Problem badRequest(String slug, String detail) {
    return new Problem(HttpStatus.BAD_REQUEST, slug, "Invalid request", detail);
  }

  public static Problem unavailable(String detail) {
    return new Problem(
        HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", detail);
  }

  /** Adds a machine-readable member to the problem detail. */
  public Problem with(String name, Object value) {
    properties.put(name, value);
    return this;
  }

  public HttpStatusCode status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  ProblemDetail toProblemDetail() {
    ProblemDetail detail = ProblemDetail.forStatusAndDetail(status, getMessage());
    detail.setType(URI.create(TYPE_ROOT + slug));
    detail.setTitle(title);
    properties.forEach(detail::setProperty);
    return detail;
  }
}
