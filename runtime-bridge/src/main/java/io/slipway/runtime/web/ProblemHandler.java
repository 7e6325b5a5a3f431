package io.slipway.runtime.web;

import io.slipway.kit.problem.Problem;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every error into an RFC 9457 problem detail: the common cases as every Slipway service does
 * ({@link io.slipway.kit.problem.ProblemHandler}), plus runtime-bridge's own.
 */
@RestControllerAdvice
class ProblemHandler extends io.slipway.kit.problem.ProblemHandler {

  /** A spec the model refuses (a port below 1024, a bad digest): the message says which. */
  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
    return problem(Problem.invalid("invalid-spec", e.getMessage()));
  }
}
