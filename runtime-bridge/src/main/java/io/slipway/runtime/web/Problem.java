package io.slipway.runtime.web;

import org.springframework.http.HttpStatusCode;

/**
 * Transitional: the shared {@link io.slipway.kit.problem.Problem} under its old name, for the
 * classes in {@code deploy/} and {@code tenant/TenantApi} that other branches change in the same
 * session (issue 20). Its factories answer this type, so a {@code catch (Problem e)} there still
 * catches what they throw. Once those branches are merged, they import the kit's class and this one
 * goes.
 */
public class Problem extends io.slipway.kit.problem.Problem {

  private static final long serialVersionUID = 1L;

  public Problem(HttpStatusCode status, String slug, String title, String detail) {
    super(status, slug, title, detail);
  }

  private static Problem of(io.slipway.kit.problem.Problem shared) {
    Problem problem =
        new Problem(shared.status(), shared.slug(), shared.title(), shared.getMessage());
    shared.properties().forEach(problem::with);
    return problem;
  }

  public static Problem notFound(String kind, String name) {
    return of(io.slipway.kit.problem.Problem.notFound(kind, name));
  }

  public static Problem conflict(String slug, String detail) {
    return of(io.slipway.kit.problem.Problem.conflict(slug, detail));
  }

  public static Problem forbidden(String detail) {
    return of(io.slipway.kit.problem.Problem.forbidden(detail));
  }

  public static Problem invalid(String slug, String detail) {
    return of(io.slipway.kit.problem.Problem.invalid(slug, detail));
  }

  public static Problem badRequest(String slug, String detail) {
    return of(io.slipway.kit.problem.Problem.badRequest(slug, detail));
  }

  public static Problem unavailable(String detail) {
    return of(io.slipway.kit.problem.Problem.unavailable(detail));
  }

  @Override
  public Problem with(String name, Object value) {
    super.with(name, value);
    return this;
  }
}
