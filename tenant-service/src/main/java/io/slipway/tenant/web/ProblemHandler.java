package io.slipway.tenant.web;

import io.slipway.kit.problem.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

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
}
