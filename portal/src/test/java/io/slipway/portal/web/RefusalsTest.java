package io.slipway.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.client.TenantService;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.web.client.ResourceAccessException;

/** The shared clients' failures reach controllers as the problems a user can read. */
class RefusalsTest {

  private final TenantService service = Mockito.mock(TenantService.class);
  private final TenantService portal =
      Refusals.translating(TenantService.class, service, "tenant-service");

  @Test
  void aProblemIsReadForItsDetailTypeAndReasons() {
    Mockito.when(service.tenantView("acme", "Bearer t"))
        .thenThrow(
            FakeServices.refusal(
                422, "image-refused", "Image x:1 was refused", List.of("not signed", " ")));
    assertThatThrownBy(() -> portal.tenantView("acme", "Bearer t"))
        .isInstanceOfSatisfying(
            ServiceProblem.class,
            problem -> {
              assertThat(problem.status()).isEqualTo(422);
              assertThat(problem.type()).isEqualTo("image-refused");
              assertThat(problem).hasMessage("Image x:1 was refused");
              assertThat(problem.reasons()).containsExactly("not signed");
            });
  }

  @Test
  void anAnswerThatIsNoProblemIsToldByItsStatus() {
    assertThat(Refusals.problem("build-service", 502, "<html>Bad Gateway</html>"))
        .hasMessage("build-service answered 502")
        .satisfies(problem -> assertThat(problem.type()).isEmpty());
    assertThat(Refusals.problem("build-service", 500, "{not json"))
        .hasMessage("build-service answered 500");
  }

  @Test
  void aServiceThatCannotBeReachedIsA503InPlainWords() {
    Mockito.when(service.tenantView("acme", "Bearer t"))
        .thenThrow(new ResourceAccessException("Connection refused"));
    assertThatThrownBy(() -> portal.tenantView("acme", "Bearer t"))
        .isInstanceOfSatisfying(
            ServiceProblem.class,
            problem -> {
              assertThat(problem.status()).isEqualTo(503);
              assertThat(problem)
                  .hasMessage("tenant-service cannot be reached right now; try again shortly");
            });
  }

  @Test
  void answersAndOtherFailuresPassThroughUnchanged() {
    TenantService.TenantView acme =
        new TenantService.TenantView("t1", "acme", "Acme", null, "alice", "developer");
    Mockito.when(service.tenantView("acme", "Bearer t")).thenReturn(acme);
    assertThat(portal.tenantView("acme", "Bearer t")).isSameAs(acme);
    Mockito.when(service.tenantView("other", "Bearer t"))
        .thenThrow(new IllegalStateException("a bug, not a refusal"));
    assertThatThrownBy(() -> portal.tenantView("other", "Bearer t"))
        .isInstanceOf(IllegalStateException.class);
  }
}
