package io.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's token auth in the chart: build-service gets the token realm's settings and its
 * platform login from the named Secret; off by default; refused without that Secret or with an
 * endpoint under a path (grants are decided on repository names starting with a tenant's id).
 */
class RegistryTokenAuthTest {

  private static final Map<String, Object> ON =
      Map.of(
          "registry.endpoint", "registry.example.com:5000",
          "registry.tokenAuth.enabled", true,
          "registry.tokenAuth.credentialsSecret", "slipway-registry");

  @Test
  void buildServiceServesTheTokenRealmWithThePlatformLoginFromTheSecret() {
    Container build = Rendered.with(ON).container("build-service");

    assertThat(env(build, "SLIPWAY_BUILD_REGISTRY_AUTH_ENABLED").map(EnvVar::getValue))
        .hasValue("true");
    assertThat(env(build, "SLIPWAY_BUILD_REGISTRY_AUTH_ISSUER").map(EnvVar::getValue))
        .hasValue("slipway-build");
    assertThat(env(build, "SLIPWAY_BUILD_REGISTRY_AUTH_SERVICE").map(EnvVar::getValue))
        .hasValue("slipway-registry");
    assertThat(env(build, "SLIPWAY_BUILD_REGISTRY_AUTH_KEY_DIR").map(EnvVar::getValue))
        .hasValue("/var/lib/slipway/governance/registry-auth");
    var password =
        env(build, "SLIPWAY_BUILD_REGISTRY_AUTH_PLATFORM_PASSWORD")
            .orElseThrow()
            .getValueFrom()
            .getSecretKeyRef();
    assertThat(password.getName()).isEqualTo("slipway-registry");
    assertThat(password.getKey()).isEqualTo("platform-password");
  }

  @Test
  void offByDefault() {
    assertThat(
            Rendered.with(Map.of()).container("build-service").getEnv().stream()
                .map(EnvVar::getName))
        .noneMatch(name -> name.startsWith("SLIPWAY_BUILD_REGISTRY_AUTH_"));
  }

  static Stream<Map<String, Object>> refused() {
    return Stream.of(
        Map.of(
            "registry.endpoint", "registry.example.com:5000", "registry.tokenAuth.enabled", true),
        Map.of(
            "registry.endpoint", "registry.example.com/slipway-apps",
            "registry.tokenAuth.enabled", true,
            "registry.tokenAuth.credentialsSecret", "slipway-registry"),
        Map.of("registry.tokenAuth.issuer", ""),
        Map.of("registry.tokenAuth.unknown", "x"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void badTokenAuthValuesAreRefusedBeforeAnythingIsApplied(Map<String, Object> values) {
    assertThatThrownBy(() -> Rendered.with(values))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  private static Optional<EnvVar> env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
  }
}
