package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {

  @Test
  void lowerCasesAndDropsTheRootDot() {
    assertThat(DomainNames.normalize(" Shop.Example.COM. ", "apps.slipway.dev"))
        .isEqualTo("shop.example.com");
    assertThat(DomainNames.normalize("a-b.c0.example.io", "apps.slipway.dev"))
        .isEqualTo("a-b.c0.example.io");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "shop..example.com",
        "-shop.example.com",
        "shop-.example.com",
        "shop_1.example.com",
        "shop example.com",
        "10.0.0.1",
        "web.apps.slipway.dev",
        "apps.slipway.dev"
      })
  void refusesWhatIsNotAUsableDomain(String domain) {
    assertThatThrownBy(() -> DomainNames.normalize(domain, "apps.slipway.dev"))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.slug()).isEqualTo("invalid-domain"));
  }

  @Test
  void refusesOverlongNamesAndLabels() {
    assertThatThrownBy(() -> DomainNames.normalize("a".repeat(64) + ".example.com", "apps.x"))
        .isInstanceOf(Problem.class);
    assertThatThrownBy(
            () -> DomainNames.normalize(("a".repeat(60) + ".").repeat(5) + "com", "apps.x"))
        .isInstanceOf(Problem.class);
  }
}
