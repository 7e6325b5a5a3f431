package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Which images builds may start {@code FROM} besides the stacks' (docs/vms.md). */
class SandboxPropertiesTest {

  private static SandboxProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("slipway.build.sandbox", SandboxProperties.class);
  }

  @Test
  void tenantsBuildTheirVmImagesOnThePlatformsGuestByDefault() {
    assertThat(bind(Map.of()).platformImages()).containsExactly("localhost/slipway/vm/debian:1");
  }

  @Test
  void anOperatorNamesItsOwnPlatformImagesOrNone() {
    assertThat(
            bind(Map.of("slipway.build.sandbox.platform-images", "localhost/ops/base:1"))
                .platformImages())
        .containsExactly("localhost/ops/base:1");
    assertThat(bind(Map.of("slipway.build.sandbox.platform-images", "")).platformImages())
        .isEmpty();
  }
}
