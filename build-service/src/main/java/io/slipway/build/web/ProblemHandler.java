package io.slipway.build.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every error into an RFC 9457 problem detail, as every Slipway service does ({@link
 * io.slipway.kit.problem.ProblemHandler}); build-service's own exceptions are mapped here.
 */
@RestControllerAdvice
class ProblemHandler extends io.slipway.kit.problem.ProblemHandler {}
