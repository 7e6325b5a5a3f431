package io.slipway.tenant.web;

import io.slipway.kit.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/**
 * Turns every error into an RFC 9457 problem detail: the common cases as every Slipway service does
 * ({@link io.slipway.kit.problem.ProblemHandler}), plus tenant-service's own.
 */
@RestControllerAdvice
class ProblemHandler extends io.slipway.kit.problem.ProblemHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  /** A unique constraint lost a race that the service's own check could not see. */
  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
    log.info(
        "Refused a write that violates a constraint: {}", e.getMostSpecificCause().getMessage());
    return problem(
        Problem.conflict("conflict", "The change conflicts with existing data; reload and retry"));
  }

  /**
   * A request whose path names and body are validated together (a constrained path variable beside
   * a {@code @Valid} body) names each bad field in {@code errors}, as a body validated alone does:
   * a body's fields by their names, a path variable by its own.
   */
  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (ParameterValidationResult result : e.getParameterValidationResults()) {
      if (result instanceof ParameterErrors body) {
        body.getFieldErrors().forEach(f -> errors.add(error(f.getField(), f.getDefaultMessage())));
      } else {
        String name = result.getMethodParameter().getParameterName();
        result
            .getResolvableErrors()
            .forEach(error -> errors.add(error(name, error.getDefaultMessage())));
      }
    }
    return invalidRequest(errors);
  }

  private static Map<String, Object> error(String field, String message) {
    return Map.of("field", String.valueOf(field), "message", String.valueOf(message));
  }
}
