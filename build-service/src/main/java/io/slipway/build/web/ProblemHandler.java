package io.slipway.build.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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

  /** A body without a declared length that grew past the limit while it was read: 413. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    BodySizeLimit.TooLarge tooLarge = BodySizeLimit.TooLarge.in(e);
    if (tooLarge == null) {
      return super.handleHttpMessageNotReadable(e, headers, status, request);
    }
    ProblemDetail detail =
        ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
    detail.setType(java.net.URI.create("https://slipway.io/problems/body-too-large"));
    detail.setTitle("Body too large");
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(detail);
  }
}
