package io.slipway.build.web;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every error into an RFC 9457 problem detail. */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(Problem.class)
  ResponseEntity<ProblemDetail> problem(Problem problem) {
    return ResponseEntity.status(problem.status()).body(problem.toProblemDetail());
  }
}
