package io.slipway.tenant.web;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 problem detail; nothing leaves as a stack trace or a 500 page.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(Problem.class)
  ResponseEntity<ProblemDetail> problem(Problem problem) {
    return ResponseEntity.status(problem.status()).body(problem.toProblemDetail());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    return badRequest(
        "invalid-parameter", "Parameter '" + e.getName() + "' has an invalid value", List.of());
  }

  /** A unique constraint lost a race that the service's own check could not see. */
  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
    log.info(
        "Refused a write that violates a constraint: {}", e.getMostSpecificCause().getMessage());
    return problem(
        Problem.conflict("conflict", "The change conflicts with existing data; reload and retry"));
  }

  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
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
    String detail =
        errors.isEmpty()
            ? "The request is invalid"
            : errors.stream()
                .map(m -> m.get("field") + " " + m.get("message"))
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElseThrow();
    return cast(badRequest("invalid-request", detail, errors));
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
    return cast(badRequest("invalid-request", detail, List.of()));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (BodySizeLimit.TooLarge.in(e) != null) {
      return cast(tooLarge(BodySizeLimit.TooLarge.in(e)));
    }
    return cast(
        badRequest(
            "malformed-body",
            "The request body is not valid JSON of the expected shape",
            List.of()));
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail detail && detail.getType().toString().equals("about:blank")) {
      detail.setType(Problem.type(slugOf(statusCode)));
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private static String slugOf(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return known == null
        ? "http-" + status.value()
        : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** A body without a declared length that grew past the limit while it was read. */
  private static ResponseEntity<ProblemDetail> tooLarge(BodySizeLimit.TooLarge e) {
    Problem problem =
        new Problem(
            HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Body too large", e.getMessage());
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem.toProblemDetail());
  }

  private static ResponseEntity<ProblemDetail> badRequest(
      String slug, String detail, List<Map<String, Object>> errors) {
    Problem problem = new Problem(HttpStatus.BAD_REQUEST, slug, "Bad request", detail);
    if (!errors.isEmpty()) {
      problem.with("errors", errors);
    }
    return ResponseEntity.badRequest().body(problem.toProblemDetail());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> entity) {
    return (ResponseEntity) entity;
  }
}
