package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code slipway.runtime.vm.*} binds into {@link VmSettings}; a bad value stops start-up. */
class VmConfigTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(VmConfig.class);

  @Test
  void theDefaultsAreThePlatformsImagesAndVmSettingsDefaults() {
    runner.run(
        context -> assertThat(context.getBean(VmSettings.class)).isEqualTo(VmSettings.defaults()));
  }

  @Test
  void everyKeyBindsAndTenantsImagesAreWhereBuildServiceNamesThem() {
    runner
        .withPropertyValues(
            "slipway.runtime.vm.runner-image=registry.local:5000/ops/vm/runner:7",
            "slipway.runtime.vm.guest-image=registry.local:5000/ops/vm/debian@sha256:"
                + "c".repeat(64),
            "slipway.runtime.vm.image-prefix=registry.local:5000/ops/vm/",
            "slipway.runtime.vm.powerdown-grace=45s",
            "slipway.runtime.vm.qmp-timeout=3s",
            "slipway.runtime.vm.qemu-overhead-mib=384",
            "slipway.runtime.vm.dev-kvm=/dev/null",
            "slipway.runtime.admission.build-image-prefix=registry.local:5000/builds")
        .run(
            context ->
                assertThat(context.getBean(VmSettings.class))
                    .isEqualTo(
                        new VmSettings(
                            "registry.local:5000/ops/vm/runner:7",
                            "registry.local:5000/ops/vm/debian@sha256:" + "c".repeat(64),
                            "registry.local:5000/ops/vm/",
                            "registry.local:5000/builds",
                            Duration.ofSeconds(45),
                            Duration.ofSeconds(3),
                            384,
                            Path.of("/dev/null"))));
  }

  @Test
  void aBadValueFailsStartUpNamingTheKey() {
    for (String bad :
        new String[] {
          "slipway.runtime.vm.runner-image=Runner:1",
          "slipway.runtime.vm.guest-image=debian:1 --privileged",
          "slipway.runtime.vm.image-prefix=localhost/slipway/vm",
          "slipway.runtime.vm.image-prefix=quay.io/",
          "slipway.runtime.vm.qemu-overhead-mib=8"
        }) {
      String key = bad.substring("slipway.runtime.vm.".length(), bad.indexOf('='));
      runner
          .withPropertyValues(bad)
          .run(
              context ->
                  assertThat(context)
                      .as(bad)
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining("slipway.runtime.vm." + key));
    }
  }
}
