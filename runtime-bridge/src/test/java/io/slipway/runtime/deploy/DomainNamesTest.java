package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The syntax of a domain; the platform's own names are PlatformDomainsTest's (a 422 now). */
class DomainNamesTest {

  @Test
  void lowerCasesAndDropsTheRootDot() {
    assertThat(DomainNames.normalize(" Shop.Example.COM. ")).isEqualTo("shop.example.com");
    assertThat(DomainNames.normalize("a-b.c0.example.io")).isEqualTo("a-b.c0.example.io");
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
        "10.0.0.1"
      })
  void refusesWhatIsNotAUsableDomain(String domain) {
    assertThatThrownBy(() -> DomainNames.normalize(domain))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.slug()).isEqualTo("invalid-domain"));
  }

  @Test
  void refusesOverlongNamesAndLabels() {
    assertThatThrownBy(() -> DomainNames.normalize("a".repeat(64) + ".example.com"))
        .isInstanceOf(Problem.class);
    assertThatThrownBy(() -> DomainNames.normalize(("a".repeat(60) + ".").repeat(5) + "com"))
        .isInstanceOf(Problem.class);
  }
}
