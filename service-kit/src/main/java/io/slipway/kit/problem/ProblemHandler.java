package io.slipway.kit.problem;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error a Slipway API meets into an RFC 9457 problem detail: a {@link Problem}, a
 * request that fails bean validation or cannot be read, a parameter of the wrong type, a refused
 * method-security check, and everything Spring MVC itself answers (its {@code about:blank} type
 * becomes {@code https://slipway.io/problems/<status>}, e.g. {@code method-not-allowed}).
 *
 * <p>Each service declares one {@code @RestControllerAdvice} that extends this class and adds its
 * own exceptions, so that nothing leaves as a stack trace or an HTML page.
 */
public abstract class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(Problem.class)
  protected ResponseEntity<ProblemDetail> problem(Problem problem) {
    ResponseEntity.BodyBuilder answer = ResponseEntity.status(problem.status());
    problem
        .retryAfter()
        .ifPresent(
            after -> answer.header(HttpHeaders.RETRY_AFTER, String.valueOf(after.toSeconds())));
    return answer.body(problem.toProblemDetail());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  protected ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    return problem(
        Problem.badRequest(
            "invalid-parameter", "Parameter '" + e.getName() + "' has an invalid value"));
  }

  @ExceptionHandler(AccessDeniedException.class)
  protected ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
    return problem(Problem.forbidden("You may not perform this operation"));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Map<String, Object>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(
                f ->
                    Map.<String, Object>of(
                        "field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
            .toList();
    return invalidRequest(errors);
  }

  /**
   * The 400 {@code invalid-request} naming each bad field: {@code errors} of {@code field} and
   * {@code message}, and a detail of them all, sorted.
   */
  protected ResponseEntity<Object> invalidRequest(List<Map<String, Object>> errors) {
    String detail =
        errors.stream()
            .map(m -> m.get("field") + " " + m.get("message"))
            .sorted()
            .reduce((a, b) -> a + "; " + b)
            .orElse("The request is invalid");
    Problem problem = Problem.badRequest("invalid-request", detail);
    if (!errors.isEmpty()) {
      problem.with("errors", errors);
    }
    return cast(problem(problem));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String detail =
        e.getAllErrors().stream()
            .map(error -> error.getDefaultMessage())
            .sorted()
            .reduce((a, b) -> a + "; " + b)
            .orElse("The request is invalid");
    return cast(problem(Problem.badRequest("invalid-request", detail)));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    BodyTooLarge tooLarge = BodyTooLarge.in(e);
    if (tooLarge != null) {
      return cast(
          problem(
              new Problem(
                  HttpStatus.CONTENT_TOO_LARGE,
                  "body-too-large",
                  HttpStatus.CONTENT_TOO_LARGE.getReasonPhrase(),
                  tooLarge.getMessage())));
    }
    return cast(
        problem(
            Problem.badRequest(
                "malformed-body", "The request body is not valid JSON of the expected shape")));
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    // Spring leaves the type unset (null, or about:blank in older versions) for its own errors.
    if (body instanceof ProblemDetail detail
        && (detail.getType() == null || "about:blank".equals(detail.getType().toString()))) {
      detail.setType(Problem.type(slugOf(statusCode)));
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  /** {@code 405} is {@code method-not-allowed}; a code without a name is {@code http-<code>}. */
  static String slugOf(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return known == null
        ? "http-" + status.value()
        : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> entity) {
    return (ResponseEntity) entity;
  }
}
