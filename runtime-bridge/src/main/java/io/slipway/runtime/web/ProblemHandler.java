package io.slipway.runtime.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every error into an RFC 9457 problem detail. */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(Problem.class)
  ResponseEntity<ProblemDetail> problem(Problem problem) {
    return ResponseEntity.status(problem.status()).body(problem.toProblemDetail());
  }

  /** A spec the model refuses (a port below 1024, a bad digest): the message says which. */
  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
    return problem(Problem.invalid("invalid-spec", e.getMessage()));
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
        errors.stream()
            .map(m -> m.get("field") + " " + m.get("message"))
            .sorted()
            .reduce((a, b) -> a + "; " + b)
            .orElse("The request is invalid");
    Problem problem =
        new Problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail)
            .with("errors", errors);
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(problem.toProblemDetail());
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (BodySizeLimit.TooLarge.in(e) != null) {
      return tooLarge(BodySizeLimit.TooLarge.in(e));
    }
    Problem problem =
        new Problem(
            HttpStatus.BAD_REQUEST,
            "malformed-body",
            "Malformed body",
            "The body is not JSON of the expected shape");
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(problem.toProblemDetail());
  }

  /** A body without a declared length that grew past the limit while it was read. */
  private static ResponseEntity<Object> tooLarge(BodySizeLimit.TooLarge e) {
    Problem problem =
        new Problem(
            HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Body too large", e.getMessage());
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem.toProblemDetail());
  }
}
