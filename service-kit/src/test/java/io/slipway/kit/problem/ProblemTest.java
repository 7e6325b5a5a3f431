package io.slipway.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemTest {

  @Test
  void aProblemLeavesWithAStableTypeItsTitleAndItsMembers() {
    ProblemDetail detail =
        Problem.conflict("quota-exceeded", "The apps quota is 3")
            .with("limit", 3)
            .toProblemDetail();

    assertThat(detail.getType()).hasToString("https://slipway.io/problems/quota-exceeded");
    assertThat(detail.getTitle()).isEqualTo("Conflict");
    assertThat(detail.getStatus()).isEqualTo(409);
    assertThat(detail.getDetail()).isEqualTo("The apps quota is 3");
    assertThat(detail.getProperties()).containsEntry("limit", 3);
  }

  @Test
  void theMapFormHasTheSameMembersInTheOrderOfTheRfc() {
    assertThat(Problem.forbidden("no").with("scopes", "git").toMap())
        .containsExactly(
            java.util.Map.entry("type", "https://slipway.io/problems/forbidden"),
            java.util.Map.entry("title", "Forbidden"),
            java.util.Map.entry("status", 403),
            java.util.Map.entry("detail", "no"),
            java.util.Map.entry("scopes", "git"));
  }

  @Test
  void eachKindHasOneStatusAndOneTitle() {
    assertThat(Problem.notFound("Tenant", "acme").getMessage())
        .isEqualTo("Tenant 'acme' was not found");
    assertThat(Problem.notFound("No build 7 of shop").title()).isEqualTo("Not found");
    assertThat(Problem.invalid("invalid-page", "x").status())
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    assertThat(Problem.invalid("invalid-page", "x").title()).isEqualTo("Invalid request");
    assertThat(Problem.badRequest("invalid-parameter", "x").title()).isEqualTo("Bad request");
    assertThat(Problem.malformed("x").slug()).isEqualTo("malformed-request");
    assertThat(Problem.unauthorized("bad-signature", "x").status())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(Problem.upstream("git-unreachable", "x").status()).isEqualTo(HttpStatus.BAD_GATEWAY);
    assertThat(Problem.unavailable("x").status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
  }

  @Test
  void aStatusSpringAnswersItselfGetsASlugFromItsName() {
    assertThat(ProblemHandler.slugOf(HttpStatus.METHOD_NOT_ALLOWED))
        .isEqualTo("method-not-allowed");
    assertThat(ProblemHandler.slugOf(org.springframework.http.HttpStatusCode.valueOf(599)))
        .isEqualTo("http-599");
  }
}
