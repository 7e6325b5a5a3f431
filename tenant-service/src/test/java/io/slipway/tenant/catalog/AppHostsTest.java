package io.slipway.tenant.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppHostsTest {

  @Test
  void joinsAppProjectAndTenantWithDoubleDashes() {
    assertThat(AppHosts.label("acme", "web-prod", "api")).isEqualTo("api--web-prod--acme");
    assertThat(AppHosts.label("acme-web", "prod", "api")).isEqualTo("api--prod--acme-web");
    // the old scheme gave both web-prod-acme (tenant prod-acme / app web and acme / web-prod)
    assertThat(AppHosts.label("prod-acme", "x", "web"))
        .isNotEqualTo(AppHosts.label("acme", "x", "web-prod"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "portal",
        "api",
        "auth",
        "keycloak",
        "identity",
        "registry",
        "git",
        "admin",
        "www"
      })
  void thePlatformsOwnHostsAreNeverAnAppsHost(String host) {
    // an app's label always holds '--', which no platform host does, whatever the names
    assertThat(AppHosts.label(host, host, host)).isEqualTo(String.join("--", host, host, host));
    assertThat(AppHosts.label("acme", "web", host)).isNotEqualTo(host).contains("--");
  }

  @Test
  void anIdnaLabelIsNeverAnAppsHost() {
    assertThat(AppHosts.label("acme", "web", "portal")).isEqualTo("portal--web--acme");
    assertThat(AppHosts.label("acme", "xn", "web")).isEqualTo("web--xn--acme");
    assertThatThrownBy(() -> AppHosts.label("acme", "web", "xn"))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.slug()).isEqualTo("host-reserved"));
  }

  @Test
  void idsAreLabelsOfTheirKindFromTheBase32Alphabet() {
    for (char kind : new char[] {CatalogIds.TENANT, CatalogIds.PROJECT, CatalogIds.APP}) {
      String id = CatalogIds.issue(kind, taken -> false);
      assertThat(id).hasSize(12).startsWith(String.valueOf(kind)).matches("[a-z][a-z2-7]{11}");
    }
    // a taken id is never issued: the first candidate is refused, a second one drawn
    java.util.List<String> offered = new java.util.ArrayList<>();
    String issued = CatalogIds.issue(CatalogIds.APP, id -> offered.add(id) && offered.size() == 1);
    assertThat(offered).hasSize(2);
    assertThat(issued).isEqualTo(offered.get(1)).isNotEqualTo(offered.get(0));
  }
}
