package io.slipway.kit.problem;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * An error a caller can act on. It leaves every Slipway API as an RFC 9457 problem detail whose
 * {@code type} is stable ({@code https://slipway.io/problems/<slug>}), whose {@code title} is the
 * same for every problem of that kind, and whose detail says what to do.
 */
public class Problem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The root of every problem type; a slug names the kind of problem under it. */
  public static final String TYPE_ROOT = "https://slipway.io/problems/";

  private final HttpStatusCode status;
  private final String slug;
  private final String title;
  private final transient Map<String, Object> properties = new LinkedHashMap<>();
  private Duration retryAfter;

  public Problem(HttpStatusCode status, String slug, String title, String detail) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  /** 404: the object does not exist, or the caller may not know that it does. */
  public static Problem notFound(String kind, String name) {
    return notFound(kind + " '" + name + "' was not found");
  }

  /** 404 with a detail of the caller's own words, e.g. {@code "No build 7 of shop"}. */
  public static Problem notFound(String detail) {
    return new Problem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
  }

  /** 400: the request cannot be read as it is (a parameter or body of the wrong shape). */
  public static Problem badRequest(String slug, String detail) {
    return new Problem(HttpStatus.BAD_REQUEST, slug, "Bad request", detail);
  }

  /** 400: the request cannot be read at all (e.g. a body that is not the expected JSON). */
  public static Problem malformed(String detail) {
    return badRequest("malformed-request", detail);
  }

  /** 401: the caller could not be authenticated (e.g. a webhook with a bad signature). */
  public static Problem unauthorized(String slug, String detail) {
    return new Problem(HttpStatus.UNAUTHORIZED, slug, "Unauthorized", detail);
  }

  /** 403: the caller is known but may not do this. */
  public static Problem forbidden(String detail) {
    return new Problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  /** 409: the object is not in a state that allows the request. */
  public static Problem conflict(String slug, String detail) {
    return new Problem(HttpStatus.CONFLICT, slug, "Conflict", detail);
  }

  /** 422: the request is well-formed but its values are refused. */
  public static Problem invalid(String slug, String detail) {
    return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, slug, "Invalid request", detail);
  }

  /**
   * 429: the caller holds too much of something at once; {@code Retry-After} says when to retry.
   */
  public static Problem tooMany(String slug, String detail, Duration retryAfter) {
    Problem problem = new Problem(HttpStatus.TOO_MANY_REQUESTS, slug, "Too many requests", detail);
    problem.retryAfter = retryAfter;
    return problem;
  }

  /** 502: a system this service depends on (e.g. an external git server) failed. */
  public static Problem upstream(String slug, String detail) {
    return new Problem(HttpStatus.BAD_GATEWAY, slug, "Bad gateway", detail);
  }

  /** 503: another Slipway service this one needs could not answer. */
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

  /** When the caller may try again (a {@code Retry-After} header), if the problem says. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** The extra members, in the order they were added. */
  public Map<String, Object> properties() {
    return Collections.unmodifiableMap(properties);
  }

  public ProblemDetail toProblemDetail() {
    ProblemDetail detail = ProblemDetail.forStatusAndDetail(status, getMessage());
    detail.setType(type(slug));
    detail.setTitle(title);
    properties.forEach(detail::setProperty);
    return detail;
  }

  /**
   * The body as a plain map in the order {@code type, title, status, detail, <members>}, for code
   * that writes the response itself (security filters run before Spring MVC's converters).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type(slug).toString());
    body.put("title", title);
    body.put("status", status.value());
    body.put("detail", getMessage());
    body.putAll(properties);
    return body;
  }

  /** The stable type URI of a slug. */
  public static URI type(String slug) {
    return URI.create(TYPE_ROOT + slug);
  }
}
