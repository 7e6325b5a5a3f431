package io.slipway.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformDomainsTest {

  private final PlatformDomains platform =
      new PlatformDomains(List.of("slipway.dev", "Portal.Example.org.", "id.example.org", " "));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "slipway.dev",
        "apps.slipway.dev",
        "web--p--t.apps.slipway.dev",
        "portal.slipway.dev",
        "portal.example.org",
        "x.portal.example.org",
        "id.example.org"
      })
  void thePlatformsOwnNamesAndEverythingUnderThemAreRefusedWith422(String domain) {
    assertThatThrownBy(() -> platform.requireClaimable(domain))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status().value()).isEqualTo(422);
              assertThat(p.slug()).isEqualTo("platform-domain");
              assertThat(p.getMessage()).contains(domain).contains("platform's own");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"shop.example.com", "example.org", "notslipway.dev", "slipway.dev.evil.com"})
  void otherNamesMayBeClaimed(String domain) {
    assertThatNoException().isThrownBy(() -> platform.requireClaimable(domain));
  }
}
