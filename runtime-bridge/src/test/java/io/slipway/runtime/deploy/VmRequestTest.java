package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code PUT .../vm} takes and refuses, before anything is stored or started. */
class VmRequestTest {

  private static final AppRef REF = Specs.ref("acme", "shop", "vm");
  private static final VmSettings SETTINGS = VmSettings.defaults();

  @Test
  void defaultsToThePlatformsGuestImageNoUserDataNoPortsAndNoHttpPort() {
    VmDefinition vm = new VmRequest(2, 512, null, null, null, null).validated(REF, SETTINGS);
    assertThat(vm)
        .isEqualTo(
            new VmDefinition(
                new VmSpec(REF, 2, 512, VmSettings.DEBIAN_IMAGE, "", List.of()), null));
  }

  @Test
  void theHttpPortIsOneOfThePorts() {
    VmDefinition vm =
        new VmRequest(1, 256, null, null, List.of(22, 8080), 8080).validated(REF, SETTINGS);
    assertThat(vm.httpPort()).isEqualTo(8080);
    assertThat(vm.spec().ports()).containsExactly(22, 8080);
  }

  static Stream<Arguments> refused() {
    String own = "localhost/" + REF.tenantId() + "/disk:1";
    return Stream.of(
        Arguments.of(
            new VmRequest(null, 256, null, null, null, null), 400, "vcpus is required (1 to 8)"),
        Arguments.of(
            new VmRequest(0, 256, null, null, null, null), 400, "vcpus must be 1 to 8, not 0"),
        Arguments.of(
            new VmRequest(1, null, null, null, null, null),
            400,
            "memoryMib is required (128 to 16384)"),
        Arguments.of(
            new VmRequest(1, 16_385, null, null, null, null),
            400,
            "memoryMib must be 128 to 16384"),
        Arguments.of(
            new VmRequest(1, 256, null, null, Arrays.asList(80, null), null),
            400,
            "ports must be TCP port numbers (1 to 65535)"),
        Arguments.of(
            new VmRequest(1, 256, null, null, List.of(22), 8080),
            400,
            "httpPort 8080 is not one of the VM's ports [22]"),
        Arguments.of(
            new VmRequest(1, 256, null, null, null, 80),
            400,
            "httpPort 80 is not one of the VM's ports []"),
        Arguments.of(
            new VmRequest(1, 256, null, null, List.of(80), 0),
            400,
            "httpPort 0 is not one of the VM's ports [80]"),
        Arguments.of(
            new VmRequest(1, 256, null, null, List.of(0), null), 400, "port 0 is not a TCP port"),
        Arguments.of(
            new VmRequest(1, 256, null, "a\0b", List.of(), null),
            400,
            "userData must not contain NUL"),
        Arguments.of(
            new VmRequest(1, 256, "localhost/slipway/vm/debian:1 --privileged", null, null, null),
            400,
            "is not an image reference"),
        Arguments.of(
            new VmRequest(1, 256, "localhost/slipway/stacks/java:21", null, null, null),
            422,
            "a VM boots the platform's VM images"),
        Arguments.of(
            new VmRequest(1, 256, "localhost/aanothertenant/disk:1", null, null, null),
            422,
            "was refused"),
        Arguments.of(
            new VmRequest(1, 256, own, null, null, null),
            422,
            "a tenant's VM image is named by its full digest (repository@sha256:...)"));
  }

  @ParameterizedTest
  @MethodSource
  void refused(VmRequest request, int status, String detail) {
    Problem problem = catchThrowableOfType(Problem.class, () -> request.validated(REF, SETTINGS));
    assertThat(problem).as("refused").isNotNull();
    assertThat(problem.status().value()).isEqualTo(status);
    assertThat(problem.slug()).isEqualTo(status == 400 ? "invalid-vm" : "image-refused");
    assertThat(problem.getMessage()).contains(detail);
  }
}
